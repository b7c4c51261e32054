import { beforeAll, describe, expect, it } from 'vitest';
import { searchRuns } from '../../src/backends/sql/search/index.js';
import type { Run, ViewType } from '../../src/core/tracking/entities.js';
import { parseRunFilter, parseRunOrderBy } from '../../src/core/tracking/index.js';
import type { RunFilterClause, RunOrderBy } from '../../src/core/tracking/search-ast.js';
import type { RunSearchQuery } from '../../src/core/tracking/tracking-store.js';
import { engines } from '../support/databases.js';
import {
  analyze,
  expectKeelError,
  seedExperiment,
  seededRandom,
  seedRuns,
  useSearchDatabase,
  type SeedRun,
} from './search-fixture.js';

const names = (runs: Run[]) => runs.map((r) => r.info.runName);
const sorted = (values: string[]) => [...values].sort();

/** The runs of the filter tests; each clause below picks a known subset of them. */
const filterRuns: SeedRun[] = [
  {
    name: 'alpha',
    startTime: 100,
    endTime: 200,
    status: 'FINISHED',
    userId: 'alice',
    metrics: { acc: 0.5, loss: 1 },
    params: { lr: '0.01', model: 'CNN-large' },
    tags: { team: 'Vision', 'mlflow.note': 'a*b' },
    datasets: [{ name: 'mnist', digest: 'd1', context: 'training' }],
  },
  {
    name: 'beta',
    startTime: 200,
    endTime: null,
    status: 'RUNNING',
    userId: 'bob',
    metrics: { acc: 0.9, loss: Number.NaN },
    params: { lr: '0.1', model: 'cnn-small' },
    tags: { team: 'vision' },
    datasets: [
      { name: 'mnist', digest: 'd1', context: 'eval' },
      { name: 'cifar', digest: 'd2', context: 'training' },
    ],
  },
  {
    name: 'gamma',
    startTime: 300,
    endTime: 400,
    status: 'FAILED',
    userId: 'alice',
    metrics: { acc: Number.POSITIVE_INFINITY },
    params: { lr: '0.001' },
    tags: { team: 'nlp', 'mlflow.note': 'axb' },
  },
  {
    name: 'delta',
    startTime: 400,
    endTime: 500,
    status: 'FINISHED',
    userId: 'carol',
    metrics: { acc: Number.NaN, loss: -2 },
    params: { model: 'RNN' },
  },
  { name: 'Epsilon', startTime: 500, endTime: null, status: 'KILLED', userId: 'bob', metrics: { acc: -0.5 } },
];

for (const engine of engines) {
  describe(`searchRuns (${engine})`, () => {
    const fixture = useSearchDatabase(engine, 'keel_search_runs');
    let filterExperiment = '';
    let filterIds: string[] = [];

    const search = (q: Partial<RunSearchQuery>) =>
      searchRuns(fixture.sqlDb, {
        experimentIds: [filterExperiment],
        filter: [],
        orderBy: [],
        viewType: 'ACTIVE_ONLY',
        maxResults: 1000,
        ...q,
      });
    const matching = async (filter: RunFilterClause[] | string) =>
      sorted(
        names((await search({ filter: typeof filter === 'string' ? parseRunFilter(filter) : filter })).items),
      );

    beforeAll(async () => {
      filterExperiment = await seedExperiment(fixture.sqlDb);
      filterIds = await seedRuns(fixture.sqlDb, filterExperiment, filterRuns);
      // A run in another experiment that matches everything must never show up.
      const other = await seedExperiment(fixture.sqlDb);
      await seedRuns(fixture.sqlDb, other, [{ ...filterRuns[0]!, name: 'elsewhere' }]);
    });

    describe('scope', () => {
      it('returns an empty page for no experiment ids', async () => {
        expect(await search({ experimentIds: [] })).toEqual({ items: [] });
      });

      it('finds nothing, without failing, for unknown or non-numeric experiment ids', async () => {
        for (const id of ['999999', 'abc', '-1', '1e3', '99999999999', '', ' 1', "1' or '1'='1"]) {
          expect(await search({ experimentIds: [id] }), id).toEqual({ items: [] });
        }
      });

      it('returns full runs of the experiments asked for, newest first by default', async () => {
        const page = await search({});
        expect(names(page.items)).toEqual(['Epsilon', 'delta', 'gamma', 'beta', 'alpha']);
        expect(page.nextPageToken).toBeUndefined();
        const alpha = page.items[4]!;
        expect(alpha.info).toMatchObject({
          runId: filterIds[0],
          experimentId: filterExperiment,
          status: 'FINISHED',
        });
        expect(alpha.data.params).toEqual([
          { key: 'lr', value: '0.01' },
          { key: 'model', value: 'CNN-large' },
        ]);
        expect(alpha.data.metrics.map((m) => [m.key, m.value])).toEqual([
          ['acc', 0.5],
          ['loss', 1],
        ]);
        expect(alpha.inputs.datasetInputs.map((d) => d.dataset.name)).toEqual(['mnist']);
      });

      it('searches several experiments at once', async () => {
        const other = await seedExperiment(fixture.sqlDb);
        await seedRuns(fixture.sqlDb, other, [{ name: 'zeta', startTime: 50 }]);
        const page = await search({ experimentIds: [filterExperiment, other, 'nope'] });
        expect(names(page.items)).toEqual(['Epsilon', 'delta', 'gamma', 'beta', 'alpha', 'zeta']);
      });
    });

    describe('metric clauses compare the latest value; NaN matches nothing', () => {
      it.each([
        ['metrics.acc = 0.5', ['alpha']],
        ['metrics.acc != 0.5', ['Epsilon', 'beta', 'gamma']],
        ['metrics.acc > 0.5', ['beta', 'gamma']],
        ['metrics.acc >= 0.5', ['alpha', 'beta', 'gamma']],
        ['metrics.acc < 0.5', ['Epsilon']],
        ['metrics.acc <= 0.9', ['Epsilon', 'alpha', 'beta']],
        ['metrics.loss <= 1', ['alpha', 'delta']],
        ['metrics.loss > -100', ['alpha', 'delta']],
        ['metrics.missing > 0', []],
      ])('%s', async (filter, expected) => {
        expect(await matching(filter)).toEqual(sorted(expected));
      });

      it('compares against infinities', async () => {
        const clause = (comparator: '<' | '=' | '>', value: number): RunFilterClause[] => [
          { kind: 'metric', key: 'acc', comparator, value },
        ];
        expect(await matching(clause('=', Infinity))).toEqual(['gamma']);
        expect(await matching(clause('<', Infinity))).toEqual(sorted(['Epsilon', 'alpha', 'beta']));
        expect(await matching(clause('>', -Infinity))).toEqual(sorted(['Epsilon', 'alpha', 'beta', 'gamma']));
      });
    });

    describe('param and tag clauses', () => {
      it.each([
        ['params.lr = "0.01"', ['alpha']],
        ["params.lr != '0.01'", ['beta', 'gamma']],
        ["params.model LIKE 'cnn%'", ['beta']],
        ["params.model LIKE 'CNN%'", ['alpha']],
        ["params.model ILIKE 'cnn%'", ['alpha', 'beta']],
        ["params.model LIKE '_NN'", ['delta']],
        ["params.model ILIKE '%-%'", ['alpha', 'beta']],
        ["params.lr LIKE '0.0%'", ['alpha', 'gamma']],
        ["tags.team = 'vision'", ['beta']],
        ["tags.team ILIKE 'VISION'", ['alpha', 'beta']],
        ["tags.team LIKE '%i%'", ['alpha', 'beta']],
        ["tags.`mlflow.note` LIKE 'a*b'", ['alpha']],
        ["tags.`mlflow.note` LIKE 'a_b'", ['alpha', 'gamma']],
        ["tags.team != 'nlp'", ['alpha', 'beta']],
      ])('%s', async (filter, expected) => {
        expect(await matching(filter)).toEqual(sorted(expected));
      });

      it('IS NULL matches runs lacking the key, IS NOT NULL those having it', async () => {
        const clause = (
          kind: 'param' | 'tag',
          key: string,
          comparator: 'IS NULL' | 'IS NOT NULL',
        ): RunFilterClause[] => [{ kind, key, comparator }];
        expect(await matching(clause('param', 'lr', 'IS NULL'))).toEqual(sorted(['delta', 'Epsilon']));
        expect(await matching(clause('param', 'lr', 'IS NOT NULL'))).toEqual(
          sorted(['alpha', 'beta', 'gamma']),
        );
        expect(await matching(clause('tag', 'team', 'IS NULL'))).toEqual(sorted(['delta', 'Epsilon']));
        expect(await matching(clause('tag', 'nothing', 'IS NOT NULL'))).toEqual([]);
      });

      it('treats GLOB and LIKE special characters in values literally', async () => {
        for (const value of ['a?b', '[ab]*', 'a[*]b', "a'b", '%%%']) {
          expect(
            await matching([{ kind: 'tag', key: 'mlflow.note', comparator: '=', value }]),
            value,
          ).toEqual([]);
        }
        expect(
          await matching([{ kind: 'tag', key: 'mlflow.note', comparator: 'LIKE', value: 'a?b' }]),
        ).toEqual([]);
        expect(
          await matching([{ kind: 'tag', key: 'mlflow.note', comparator: 'LIKE', value: '[a]%' }]),
        ).toEqual([]);
      });
    });

    describe('attribute clauses', () => {
      it.each([
        ["attributes.run_name = 'beta'", ['beta']],
        ["attributes.run_name LIKE '%a'", ['alpha', 'beta', 'delta', 'gamma']],
        ["attributes.run_name ILIKE 'e%'", ['Epsilon']],
        ["attributes.run_name LIKE 'e%'", []],
        ["attributes.status = 'FINISHED'", ['alpha', 'delta']],
        ["attributes.status != 'FINISHED'", ['Epsilon', 'beta', 'gamma']],
        ["attributes.user_id = 'bob'", ['Epsilon', 'beta']],
        [
          "attributes.artifact_uri LIKE 'mlflow-artifacts:/%'",
          ['Epsilon', 'alpha', 'beta', 'delta', 'gamma'],
        ],
        ['attributes.start_time >= 300', ['Epsilon', 'delta', 'gamma']],
        ['attributes.start_time < 300', ['alpha', 'beta']],
        ['attributes.created = 200', ['beta']],
        ['attributes.created != 200', ['Epsilon', 'alpha', 'delta', 'gamma']],
        ['attributes.end_time <= 400', ['alpha', 'gamma']],
        ['attributes.end_time > 0', ['alpha', 'delta', 'gamma']],
      ])('%s', async (filter, expected) => {
        expect(await matching(filter)).toEqual(sorted(expected));
      });

      it('matches run ids with =, !=, LIKE, IN and NOT IN', async () => {
        const [alpha, beta] = filterIds;
        expect(
          await matching([{ kind: 'attribute', key: 'run_id', comparator: '=', value: alpha! }]),
        ).toEqual(['alpha']);
        expect(
          await matching([
            { kind: 'attribute', key: 'run_id', comparator: 'IN', values: [alpha!, beta!, 'x'] },
          ]),
        ).toEqual(['alpha', 'beta']);
        expect(
          await matching([
            { kind: 'attribute', key: 'run_id', comparator: 'NOT IN', values: [alpha!, beta!] },
          ]),
        ).toEqual(sorted(['gamma', 'delta', 'Epsilon']));
        expect(
          await matching([{ kind: 'attribute', key: 'run_id', comparator: '!=', value: alpha! }]),
        ).toHaveLength(4);
        expect(
          await matching([
            { kind: 'attribute', key: 'run_id', comparator: 'LIKE', value: `${alpha!.slice(0, 30)}%` },
          ]),
        ).toEqual(['alpha']);
        expect(await matching([{ kind: 'attribute', key: 'run_id', comparator: 'IN', values: [] }])).toEqual(
          [],
        );
      });

      it('matches end_time IS NULL and IS NOT NULL', async () => {
        expect(await matching([{ kind: 'attribute', key: 'end_time', comparator: 'IS NULL' }])).toEqual(
          sorted(['beta', 'Epsilon']),
        );
        expect(await matching([{ kind: 'attribute', key: 'end_time', comparator: 'IS NOT NULL' }])).toEqual(
          sorted(['alpha', 'gamma', 'delta']),
        );
      });

      it('compares integer columns with fractional or huge numbers exactly', async () => {
        const start = (
          comparator: '=' | '!=' | '<' | '<=' | '>' | '>=',
          value: number,
        ): RunFilterClause[] => [{ kind: 'attribute', key: 'start_time', comparator, value }];
        expect(await matching(start('>', 299.5))).toEqual(sorted(['gamma', 'delta', 'Epsilon']));
        expect(await matching(start('>=', 299.5))).toEqual(sorted(['gamma', 'delta', 'Epsilon']));
        expect(await matching(start('<', 300.5))).toEqual(sorted(['alpha', 'beta', 'gamma']));
        expect(await matching(start('<=', 300.5))).toEqual(sorted(['alpha', 'beta', 'gamma']));
        expect(await matching(start('=', 300.5))).toEqual([]);
        expect(await matching(start('!=', 300.5))).toHaveLength(5);
        expect(await matching(start('<', 1e30))).toHaveLength(5);
        expect(await matching(start('>', 1e30))).toEqual([]);
        expect(await matching(start('>', -1e30))).toHaveLength(5);
        expect(await matching(start('=', Infinity))).toEqual([]);
      });
    });

    describe('dataset clauses', () => {
      it.each([
        ["datasets.name = 'mnist'", ['alpha', 'beta']],
        ["datasets.name = 'cifar'", ['beta']],
        ["datasets.digest = 'd2'", ['beta']],
        ["datasets.name != 'mnist'", ['beta']],
        ["datasets.name LIKE 'MN%'", []],
        ["datasets.name ILIKE 'MN%'", ['alpha', 'beta']],
        ["datasets.name IN ('cifar', 'imagenet')", ['beta']],
        ["datasets.name NOT IN ('mnist')", ['beta']],
        ["datasets.context = 'training'", ['alpha', 'beta']],
        ["datasets.context = 'eval'", ['beta']],
        ["datasets.context LIKE 'ev%'", ['beta']],
        ["datasets.context IN ('eval', 'test')", ['beta']],
      ])('%s', async (filter, expected) => {
        expect(await matching(filter)).toEqual(sorted(expected));
      });
    });

    it('joins clauses with AND', async () => {
      expect(
        await matching("metrics.acc > 0 and params.lr LIKE '0.0%' and attributes.user_id = 'alice'"),
      ).toEqual(['alpha', 'gamma']);
      expect(
        await matching("metrics.acc > 0 and tags.team ILIKE 'vision' and datasets.context = 'eval'"),
      ).toEqual(['beta']);
    });

    describe('order', () => {
      const ordered = async (orderBy: string[]) =>
        names((await search({ orderBy: parseRunOrderBy(orderBy) })).items);

      it('sorts by a metric: numbers, then NaN, then runs lacking it, in both directions', async () => {
        expect(await ordered(['metrics.acc ASC'])).toEqual(['Epsilon', 'alpha', 'beta', 'gamma', 'delta']);
        expect(await ordered(['metrics.acc DESC'])).toEqual(['gamma', 'beta', 'alpha', 'Epsilon', 'delta']);
        expect(await ordered(['metrics.loss'])).toEqual(['delta', 'alpha', 'beta', 'Epsilon', 'gamma']);
        expect(await ordered(['metrics.loss DESC'])).toEqual(['alpha', 'delta', 'beta', 'Epsilon', 'gamma']);
      });

      it('sorts by params and tags with runs lacking them last', async () => {
        expect(await ordered(['params.lr'])).toEqual(['gamma', 'alpha', 'beta', 'Epsilon', 'delta']);
        expect(await ordered(['params.lr DESC'])).toEqual(['beta', 'alpha', 'gamma', 'Epsilon', 'delta']);
        expect(await ordered(['tags.team ASC'])).toEqual(['alpha', 'gamma', 'beta', 'Epsilon', 'delta']);
        expect(await ordered(['tags.team DESC'])).toEqual(['beta', 'gamma', 'alpha', 'Epsilon', 'delta']);
      });

      it('sorts by attributes, end_time nulls last', async () => {
        expect(await ordered(['attributes.run_name'])).toEqual([
          'Epsilon',
          'alpha',
          'beta',
          'delta',
          'gamma',
        ]);
        expect(await ordered(['run_name DESC'])).toEqual(['gamma', 'delta', 'beta', 'alpha', 'Epsilon']);
        expect(await ordered(['attributes.end_time'])).toEqual([
          'alpha',
          'gamma',
          'delta',
          'Epsilon',
          'beta',
        ]);
        expect(await ordered(['attributes.end_time DESC'])).toEqual([
          'delta',
          'gamma',
          'alpha',
          'Epsilon',
          'beta',
        ]);
        expect(await ordered(['attributes.created ASC'])).toEqual([
          'alpha',
          'beta',
          'gamma',
          'delta',
          'Epsilon',
        ]);
        expect(await ordered(['attributes.status', 'attributes.user_id DESC'])).toEqual([
          'gamma',
          'delta',
          'alpha',
          'Epsilon',
          'beta',
        ]);
      });

      it('breaks ties by start_time DESC, then run id', async () => {
        const experimentId = await seedExperiment(fixture.sqlDb);
        const ids = ['0a', '0b', '0c', '0d', '0e'].map((p) => p.padEnd(32, '0'));
        await seedRuns(fixture.sqlDb, experimentId, [
          { runId: ids[3], name: 'd', startTime: 10, metrics: { m: 1 } },
          { runId: ids[1], name: 'b', startTime: 10, metrics: { m: 1 } },
          { runId: ids[2], name: 'c', startTime: 20, metrics: { m: 1 } },
          { runId: ids[0], name: 'a', startTime: 10, metrics: { m: 2 } },
          { runId: ids[4], name: 'e', startTime: 20 },
        ]);
        const inOrder = async (orderBy: RunOrderBy[]) =>
          names((await search({ experimentIds: [experimentId], orderBy })).items);
        expect(await inOrder([])).toEqual(['c', 'e', 'a', 'b', 'd']);
        expect(await inOrder([{ kind: 'metric', key: 'm', ascending: true }])).toEqual([
          'c',
          'b',
          'd',
          'a',
          'e',
        ]);
        expect(await inOrder([{ kind: 'attribute', key: 'start_time', ascending: true }])).toEqual([
          'a',
          'b',
          'd',
          'c',
          'e',
        ]);
        expect(await inOrder([{ kind: 'attribute', key: 'run_id', ascending: false }])).toEqual([
          'e',
          'd',
          'c',
          'b',
          'a',
        ]);
      });
    });

    describe('view types', () => {
      it('returns active, deleted or all runs', async () => {
        const experimentId = await seedExperiment(fixture.sqlDb);
        await seedRuns(fixture.sqlDb, experimentId, [
          { name: 'live', startTime: 2 },
          { name: 'gone', startTime: 1, stage: 'deleted' },
        ]);
        const view = async (viewType: ViewType) =>
          names((await search({ experimentIds: [experimentId], viewType })).items);
        expect(await view('ACTIVE_ONLY')).toEqual(['live']);
        expect(await view('DELETED_ONLY')).toEqual(['gone']);
        expect(await view('ALL')).toEqual(['live', 'gone']);
      });
    });

    describe('paging', () => {
      it('pages with a token only while more runs exist', async () => {
        const first = await search({ maxResults: 2 });
        expect(names(first.items)).toEqual(['Epsilon', 'delta']);
        expect(first.nextPageToken).toEqual(expect.any(String));
        const second = await search({ maxResults: 2, pageToken: first.nextPageToken });
        expect(names(second.items)).toEqual(['gamma', 'beta']);
        const third = await search({ maxResults: 2, pageToken: second.nextPageToken });
        expect(names(third.items)).toEqual(['alpha']);
        expect(third.nextPageToken).toBeUndefined();
        const exact = await search({ maxResults: 5 });
        expect(exact.items).toHaveLength(5);
        expect(exact.nextPageToken).toBeUndefined();
      });

      it('refuses a tampered, malformed or foreign token with INVALID_PARAMETER_VALUE', async () => {
        const { nextPageToken } = await search({ maxResults: 2, orderBy: parseRunOrderBy(['metrics.acc']) });
        const token = nextPageToken!;
        const tampered = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
        for (const bad of [tampered, 'garbage', 'eyJvZmZzZXQiOiAwfQ==', token + 'x', token.slice(0, -1)]) {
          await expectKeelError(
            search({ maxResults: 2, orderBy: parseRunOrderBy(['metrics.acc']), pageToken: bad }),
            'INVALID_PARAMETER_VALUE',
            /Invalid page token/,
          );
        }
        // The same token with another order, filter, view or experiment list belongs to another search.
        for (const other of [
          { orderBy: parseRunOrderBy(['metrics.acc DESC']) },
          { orderBy: parseRunOrderBy(['metrics.acc']), filter: parseRunFilter('metrics.acc > 0') },
          { orderBy: parseRunOrderBy(['metrics.acc']), viewType: 'ALL' as const },
          { orderBy: parseRunOrderBy(['metrics.acc']), experimentIds: [filterExperiment, '0'] },
        ]) {
          await expectKeelError(
            search({ maxResults: 2, ...other, pageToken: token }),
            'INVALID_PARAMETER_VALUE',
            /Invalid page token/,
          );
        }
        // Nothing was changed by the refused calls: the token still resumes its own search.
        const resumed = await search({
          maxResults: 2,
          orderBy: parseRunOrderBy(['metrics.acc']),
          pageToken: token,
        });
        expect(names(resumed.items)).toEqual(['beta', 'gamma']);
      });

      it('reads every run exactly once through small pages, for any order and filter', async () => {
        const experimentId = await seedExperiment(fixture.sqlDb);
        const runs = randomRuns(seededRandom(7), 57, 'a');
        await seedRuns(fixture.sqlDb, experimentId, runs);
        for (const orderBy of pagingOrders) {
          for (const filter of pagingFilters) {
            const q = {
              experimentIds: [experimentId],
              filter: parseRunFilter(filter),
              orderBy: parseRunOrderBy(orderBy),
            };
            const expected = referenceSearch(runs, q.filter, q.orderBy);
            const whole = await search({ ...q, maxResults: 1000 });
            expect(names(whole.items), `${orderBy.join(', ')} / ${filter}`).toEqual(expected);
            for (const pageSize of [1, 6]) {
              const seen: string[] = [];
              let pageToken: string | undefined;
              do {
                const page = await search({ ...q, maxResults: pageSize, pageToken });
                expect(page.items.length).toBeLessThanOrEqual(pageSize);
                seen.push(...names(page.items));
                pageToken = page.nextPageToken;
              } while (pageToken);
              expect(seen, `${orderBy.join(', ')} / ${filter} by ${pageSize}`).toEqual(expected);
            }
          }
        }
      });

      it('pages a large experiment along the metric index the same way as one big page', async () => {
        // Enough runs that the search walks the metric index instead of sorting the experiment.
        const experimentId = await seedExperiment(fixture.sqlDb);
        const runs = randomRuns(seededRandom(11), 5_000, 'b');
        await seedRuns(fixture.sqlDb, experimentId, runs);
        await analyze(fixture.sqlDb);
        const cases: [string, string[]][] = [
          ['', ['metrics.m1 DESC']],
          ['metrics.m2 >= 0', ['metrics.m1']],
          ["params.p != 'p1'", ['metrics.m1 DESC', 'tags.t']],
          ['metrics.m1 < 30', ['metrics.m1 DESC', 'params.p']],
          ['metrics.m2 = 7', ['metrics.m1']],
          ['metrics.m2 = 7', []],
        ];
        for (const [filter, orderBy] of cases) {
          const q = {
            experimentIds: [experimentId],
            filter: parseRunFilter(filter),
            orderBy: parseRunOrderBy(orderBy),
          };
          const expected = referenceSearch(runs, q.filter, q.orderBy);
          const whole = await search({ ...q, maxResults: 50_000 });
          expect(names(whole.items), `${filter} / ${orderBy.join(', ')}`).toEqual(expected);
          const seen: string[] = [];
          let pageToken: string | undefined;
          do {
            const page = await search({ ...q, maxResults: 100, pageToken });
            seen.push(...names(page.items));
            pageToken = page.nextPageToken;
          } while (pageToken);
          expect(seen, `${filter} / ${orderBy.join(', ')} in pages`).toEqual(expected);
        }
      });
    });
  });
}

const pagingOrders: string[][] = [
  [],
  ['metrics.m1'],
  ['metrics.m1 DESC'],
  ['metrics.m2 DESC', 'params.p'],
  ['params.p DESC', 'metrics.m1'],
  ['tags.t'],
  ['attributes.end_time DESC'],
  ['attributes.run_name'],
  ['attributes.start_time ASC', 'tags.t DESC'],
];
const pagingFilters = ['', 'metrics.m1 > 20', "params.p != 'p1'", 'metrics.m2 <= 30 and metrics.m1 >= 10'];

/** Runs with many ties, some NaN, infinite and missing values, so every order has edges to cross. */
function randomRuns(random: () => number, count: number, idPrefix: string): SeedRun[] {
  const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const metrics: Record<string, number> = {};
    if (random() < 0.8)
      metrics.m1 = pick([...Array.from({ length: 40 }, (_, v) => v), Number.NaN, Infinity, -Infinity]);
    if (random() < 0.9) metrics.m2 = Math.floor(random() * 50);
    const params: Record<string, string> = {};
    if (random() < 0.7) params.p = pick(['p0', 'p1', 'p2', 'p3']);
    const tags: Record<string, string> = {};
    if (random() < 0.5) tags.t = pick(['a', 'b']);
    return {
      // Ids sort like names, so the reference can break the last ties by name.
      runId: `${idPrefix}${i.toString(16).padStart(31, '0')}`,
      name: `r${String(i).padStart(5, '0')}`,
      startTime: 1_000 + Math.floor(random() * 5),
      endTime: random() < 0.3 ? null : 2_000 + Math.floor(random() * 3),
      metrics,
      params,
      tags,
    };
  });
}

/**
 * What the search must return, computed in memory: the clauses these tests use, and the order
 * rules (missing values last, NaN after numbers, then start_time DESC and run id).
 */
function referenceSearch(runs: SeedRun[], filter: RunFilterClause[], orderBy: RunOrderBy[]): string[] {
  const matches = (r: SeedRun) =>
    filter.every((c) => {
      if (c.kind === 'metric') {
        const v = r.metrics?.[c.key];
        if (v === undefined || Number.isNaN(v)) return false;
        return compareNumbers(v, c.comparator, c.value);
      }
      if (c.kind === 'param' && c.comparator === '!=') {
        const v = r.params?.[c.key];
        return v !== undefined && v !== c.value;
      }
      throw new Error(`the reference does not model ${JSON.stringify(c)}`);
    });
  const keyOf = (r: SeedRun, o: RunOrderBy): [number, number | string | null] => {
    if (o.kind === 'metric') {
      const v = r.metrics?.[o.key];
      return v === undefined ? [2, null] : Number.isNaN(v) ? [1, null] : [0, v];
    }
    if (o.kind === 'param' || o.kind === 'tag') {
      const v = (o.kind === 'param' ? r.params : r.tags)?.[o.key];
      return v === undefined ? [1, null] : [0, v];
    }
    const v =
      o.key === 'end_time'
        ? r.endTime
        : o.key === 'run_name'
          ? r.name
          : o.key === 'start_time'
            ? r.startTime
            : undefined;
    if (v === undefined) throw new Error(`the reference does not model ${o.key}`);
    return v === null ? [1, null] : [0, v];
  };
  const order: RunOrderBy[] = [...orderBy];
  if (!order.some((o) => o.kind === 'attribute' && (o.key === 'start_time' || o.key === 'created'))) {
    order.push({ kind: 'attribute', key: 'start_time', ascending: false });
  }
  return runs
    .filter(matches)
    .sort((a, b) => {
      for (const o of order) {
        const [ga, va] = keyOf(a, o);
        const [gb, vb] = keyOf(b, o);
        if (ga !== gb) return ga - gb;
        if (va === vb || va === null || vb === null) continue;
        const c = va < vb ? -1 : 1;
        return o.ascending ? c : -c;
      }
      return a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0;
    })
    .map((r) => r.name!);
}

function compareNumbers(a: number, comparator: string, b: number): boolean {
  switch (comparator) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}
