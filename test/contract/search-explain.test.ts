import { CompiledQuery, sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../src/backends/sql/index.js';
import { searchExperiments, searchRuns } from '../../src/backends/sql/search/index.js';
import type { ReadableObjects } from '../../src/core/auth/index.js';
import { parseExperimentOrderBy, parseRunFilter, parseRunOrderBy } from '../../src/core/tracking/index.js';
import { engines, type Engine } from '../support/databases.js';
import {
  analyze,
  seedExperiment,
  seededRandom,
  seedRuns,
  seedWorkspace,
  useSearchDatabase,
  type SeedRun,
} from './search-fixture.js';

/**
 * The query shapes of search are planned onto the indexes: this asks each engine how it would run
 * every statement a search issues (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN`) and checks
 * that none reads a whole table of runs, metrics, params or tags, and that the main query of each
 * shape walks the index it was written for.
 */

const bigTables = ['runs', 'latest_metrics', 'params', 'tags'];

interface PlannedStatement {
  sql: string;
  /** Tables read in full (SQLite `SCAN <table>`, PostgreSQL `Seq Scan`). */
  fullScans: string[];
  /** Indexes the plan uses. */
  indexes: string[];
  /** Whether it sorts every row it reads (rather than none, or only ties of an index order). */
  sortsEverything: boolean;
  /**
   * SQLite steps after the first (the one the statement is driven from) that do not find their
   * rows by the run id: each such step reads a range once per driving row.
   */
  lookupsNotByRun: string[];
}

/** Runs `search` against a recording view of the database and returns each statement's plan. */
async function planOf(sqlDb: SqlDatabase, engine: Engine, search: (db: SqlDatabase) => Promise<unknown>) {
  const nodes: {
    node: RootOperationNode;
    queryId: Parameters<KyselyPlugin['transformQuery']>[0]['queryId'];
  }[] = [];
  const recorder: KyselyPlugin = {
    transformQuery: (args) => {
      nodes.push({ node: args.node, queryId: args.queryId });
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await search({ ...sqlDb, db: sqlDb.db.withPlugin(recorder) });
  const planned: PlannedStatement[] = [];
  for (const { node, queryId } of nodes) {
    const compiled = sqlDb.db.getExecutor().compileQuery(node, queryId);
    planned.push(
      engine === 'sqlite'
        ? await sqlitePlan(sqlDb, compiled.sql, compiled.parameters)
        : await postgresPlan(sqlDb, compiled.sql, compiled.parameters),
    );
  }
  return planned;
}

async function sqlitePlan(
  sqlDb: SqlDatabase,
  text: string,
  parameters: readonly unknown[],
): Promise<PlannedStatement> {
  const { rows } = await sqlDb.db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${text}`, [...parameters]),
  );
  const details = rows.map((r) => r.detail);
  const aliases = aliasesOf(text);
  return {
    sql: text,
    fullScans: details
      .map((d) => /^SCAN (\w+)/.exec(d)?.[1])
      .filter((name): name is string => name !== undefined)
      .map((name) => aliases.get(name) ?? name),
    indexes: details.flatMap((d) => /INDEX (\w+)/.exec(d)?.[1] ?? []),
    sortsEverything: details.some((d) => d === 'USE TEMP B-TREE FOR ORDER BY'),
    lookupsNotByRun: details
      .filter((d) => d.startsWith('SEARCH '))
      .slice(1)
      .filter((d) => !/\brun_uuid=\?/.test(d)),
  };
}

/**
 * PostgreSQL plans by cost, and on a test-sized table reading it whole is often cheapest; with
 * sequential scans priced out it still falls back to one when the statement's shape leaves it no
 * index to use, which is what this checks.
 */
async function postgresPlan(
  sqlDb: SqlDatabase,
  text: string,
  parameters: readonly unknown[],
): Promise<PlannedStatement> {
  const { rows } = await sqlDb.db.connection().execute(async (connection) => {
    await sql`set enable_seqscan = off`.execute(connection);
    try {
      return await connection.executeQuery<{ 'QUERY PLAN': unknown }>(
        CompiledQuery.raw(`explain (format json) ${text}`, [...parameters]),
      );
    } finally {
      await sql`reset enable_seqscan`.execute(connection);
    }
  });
  const plan = rows[0]!['QUERY PLAN'] as [{ Plan: PgNode }];
  const nodes: PgNode[] = [];
  const walk = (node: PgNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan[0].Plan);
  return {
    sql: text,
    fullScans: nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'] ?? '?'),
    indexes: nodes.flatMap((n) => n['Index Name'] ?? []),
    // An Incremental Sort only orders ties of an index order; a Sort orders everything read.
    sortsEverything: nodes.some((n) => n['Node Type'] === 'Sort'),
    // PostgreSQL picks lookups by cost from real statistics; the full-scan check covers it.
    lookupsNotByRun: [],
  };
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PgNode[];
}

/** `"table" as "alias"` pairs of a compiled statement, so SQLite's `SCAN r` names `runs`. */
function aliasesOf(text: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const m of text.matchAll(/"?(\w+)"? as "?(\w+)"?/g)) aliases.set(m[2]!, m[1]!);
  for (const m of text.matchAll(/\b(?:from|join) (\w+) (\w+)\b/g)) aliases.set(m[2]!, m[1]!);
  return aliases;
}

/** The statement that selects the page (the one selecting sort values `k0`, ...). */
function mainStatement(plans: PlannedStatement[]): PlannedStatement {
  const main = plans.find((p) => p.sql.includes('"k0"'));
  if (!main) throw new Error(`no main statement among:\n${plans.map((p) => p.sql).join('\n')}`);
  return main;
}

function expectNoFullScanOfBigTables(plans: PlannedStatement[]): void {
  for (const plan of plans) {
    expect(
      plan.fullScans.filter((t) => bigTables.includes(t)),
      plan.sql,
    ).toEqual([]);
  }
  // Per-row lookups of the page query go by run id (a primary-key probe), never by a range.
  expect(mainStatement(plans).lookupsNotByRun, mainStatement(plans).sql).toEqual([]);
}

const statistics = { sqlite: ['without', 'with'], postgres: ['with'] } as const;

for (const engine of engines) {
  describe(`search query plans (${engine})`, () => {
    const fixture = useSearchDatabase(engine, 'keel_search_explain');
    let experimentId = '';
    const deniedExperiments: string[] = [];

    beforeAll(async () => {
      // One big experiment and a few small ones.
      const random = seededRandom(3);
      const runs: SeedRun[] = Array.from({ length: 6_000 }, (_, i) => ({
        name: `run-${i}`,
        startTime: 1_700_000_000_000 + Math.floor(random() * 1e9),
        metrics: { m1: random(), m2: random(), m3: random() },
        params: { p1: String(Math.floor(random() * 100)), p2: 'x' },
        tags: { t1: `v${Math.floor(random() * 10)}` },
      }));
      experimentId = await seedExperiment(fixture.sqlDb);
      await seedRuns(fixture.sqlDb, experimentId, runs);
      // Experiments in two workspaces, enough for the planner to prefer an index over a scan.
      await seedWorkspace(fixture.sqlDb, 'explain-other');
      for (let e = 0; e < 400; e++) {
        const id = await seedExperiment(fixture.sqlDb, {
          workspace: e % 2 === 0 ? 'default' : 'explain-other',
          creationTime: 1_000 + e,
          stage: e % 5 === 0 ? 'deleted' : 'active',
        });
        if (e % 40 === 0) deniedExperiments.push(id);
      }
      for (let e = 0; e < 3; e++) {
        const small = await seedExperiment(fixture.sqlDb);
        await seedRuns(
          fixture.sqlDb,
          small,
          Array.from({ length: 50 }, (_, i) => ({
            name: `small-${i}`,
            metrics: { m1: random(), m2: random() },
          })),
        );
      }
    });

    const runSearch = (filter: string, orderBy: string[], pageToken?: string) => (db: SqlDatabase) =>
      searchRuns(db, {
        experimentIds: [experimentId],
        filter: parseRunFilter(filter),
        orderBy: parseRunOrderBy(orderBy),
        viewType: 'ACTIVE_ONLY',
        maxResults: 100,
        pageToken,
      });
    const plan = (search: (db: SqlDatabase) => Promise<unknown>) => planOf(fixture.sqlDb, engine, search);

    // A SQLite database has no statistics until someone runs ANALYZE; PostgreSQL's autovacuum
    // gathers them on its own.
    for (const stats of statistics[engine]) {
      describe(`${stats} planner statistics`, () => {
        beforeAll(async () => {
          if (stats === 'with') await analyze(fixture.sqlDb);
        });

        it('walks the metric index in order for a metric filter and a metric order', async () => {
          const plans = await plan(runSearch('metrics.m1 > 0.5', ['metrics.m2 DESC']));
          expectNoFullScanOfBigTables(plans);
          const main = mainStatement(plans);
          expect(main.indexes).toContain('latest_metrics_key_value');
          expect(main.sortsEverything).toBe(false);
        });

        it('resumes a deep page inside the index range', async () => {
          const first = await runSearch('metrics.m1 > 0.5', ['metrics.m2'])(fixture.sqlDb);
          const plans = await plan(runSearch('metrics.m1 > 0.5', ['metrics.m2'], first.nextPageToken));
          expectNoFullScanOfBigTables(plans);
          const main = mainStatement(plans);
          expect(main.indexes).toContain('latest_metrics_key_value');
          expect(main.sortsEverything).toBe(false);
        });

        it('reads the start-time index for the default order', async () => {
          for (const filter of ['', 'metrics.m1 > 0.5', "tags.t1 = 'v3'", "params.p2 = 'x'"]) {
            const plans = await plan(runSearch(filter, []));
            expectNoFullScanOfBigTables(plans);
            expect(mainStatement(plans).indexes, filter).toContain('runs_experiment_start');
            expect(mainStatement(plans).sortsEverything, filter).toBe(false);
          }
        });

        it('starts from the few runs a selective metric clause matches', async () => {
          for (const orderBy of [[], ['metrics.m2 DESC'], ['params.p1']]) {
            const plans = await plan(runSearch('metrics.m1 > 0.999', orderBy));
            expectNoFullScanOfBigTables(plans);
            expect(mainStatement(plans).indexes, orderBy.join()).toContain('latest_metrics_key_value');
          }
        });

        it('finds runs lacking the order metric without reading every metric', async () => {
          // The last segment of a metric order: runs without the key, by the tie-breakers.
          const plans = await plan(runSearch('', ['metrics.absent DESC']));
          expectNoFullScanOfBigTables(plans);
        });

        it('reads experiment tags by key, never whole', async () => {
          const plans = await plan((db) =>
            searchExperiments(db, {
              workspace: 'default',
              filter: [],
              orderBy: [],
              viewType: 'ACTIVE_ONLY',
              maxResults: 2,
            }),
          );
          expect(plans.flatMap((p) => p.fullScans).filter((t) => t === 'experiment_tags')).toEqual([]);
        });

        it("walks the workspace's experiments in creation order, whatever the readable filter", async () => {
          const readables: (ReadableObjects | undefined)[] = [
            undefined,
            { kind: 'all-except', denied: deniedExperiments },
          ];
          for (const readable of readables) {
            const plans = await plan((db) =>
              searchExperiments(db, {
                workspace: 'default',
                readable,
                filter: [],
                orderBy: [],
                viewType: 'ACTIVE_ONLY',
                maxResults: 20,
              }),
            );
            const main = mainStatement(plans);
            expect(main.fullScans, main.sql).toEqual([]);
            expect(main.indexes, main.sql).toContain('experiments_workspace_creation');
            expect(main.sortsEverything, main.sql).toBe(false);
          }
        });

        it('reads only the allowed experiments by id, and a name order from the name index', async () => {
          const allowed = await plan((db) =>
            searchExperiments(db, {
              workspace: 'default',
              readable: { kind: 'only', allowed: deniedExperiments },
              filter: [],
              orderBy: [],
              viewType: 'ACTIVE_ONLY',
              maxResults: 20,
            }),
          );
          expect(mainStatement(allowed).fullScans, mainStatement(allowed).sql).toEqual([]);
          const byName = await plan((db) =>
            searchExperiments(db, {
              workspace: 'default',
              filter: [],
              orderBy: parseExperimentOrderBy(['name']),
              viewType: 'ACTIVE_ONLY',
              maxResults: 20,
            }),
          );
          expect(mainStatement(byName).fullScans, mainStatement(byName).sql).toEqual([]);
          expect(mainStatement(byName).indexes).toContain('experiments_workspace_name');
        });
      });
    }
  });
}
