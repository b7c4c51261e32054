import { beforeAll, describe, expect, it } from 'vitest';
import { searchExperiments } from '../../src/backends/sql/search/index.js';
import type { ReadableObjects } from '../../src/core/auth/index.js';
import type { Experiment, ViewType } from '../../src/core/tracking/entities.js';
import { parseExperimentFilter, parseExperimentOrderBy } from '../../src/core/tracking/index.js';
import type { ExperimentSearchQuery } from '../../src/core/tracking/tracking-store.js';
import { engines } from '../support/databases.js';
import {
  expectKeelError,
  seedExperiment,
  seedWorkspace,
  useSearchDatabase,
  type SeedExperiment,
} from './search-fixture.js';

const names = (experiments: Experiment[]) => experiments.map((e) => e.name);
const sorted = (values: string[]) => [...values].sort();

/** Inserted in this order, so their ids ascend in this order. */
const seeded: SeedExperiment[] = [
  { name: 'alpha', creationTime: 100, lastUpdateTime: 500, tags: { team: 'Vision', stage: 'prod' } },
  { name: 'Beta', creationTime: 300, lastUpdateTime: 300, tags: { team: 'vision' } },
  { name: 'gamma_1', creationTime: 300, lastUpdateTime: 400 },
  { name: 'delta', creationTime: 200, lastUpdateTime: 200, stage: 'deleted', tags: { team: 'nlp' } },
  { name: 'epsilon', creationTime: 300, lastUpdateTime: 600, tags: { team: 'nlp' } },
  { name: 'zeta%', creationTime: 50, lastUpdateTime: 50, stage: 'deleted' },
];

for (const engine of engines) {
  describe(`searchExperiments (${engine})`, () => {
    const fixture = useSearchDatabase(engine, 'keel_search_experiments');
    const search = (q: Partial<ExperimentSearchQuery>) =>
      searchExperiments(fixture.sqlDb, {
        workspace: 'default',
        filter: [],
        orderBy: [],
        viewType: 'ACTIVE_ONLY',
        maxResults: 1000,
        ...q,
      });
    const matching = async (filter: string, viewType: ViewType = 'ACTIVE_ONLY') =>
      sorted(names((await search({ filter: parseExperimentFilter(filter), viewType })).items));
    const ordered = async (orderBy: string[], viewType: ViewType = 'ACTIVE_ONLY') =>
      names((await search({ orderBy: parseExperimentOrderBy(orderBy), viewType })).items);

    /** Seeded ids by name, in the default workspace. */
    const ids = new Map<string, string>();
    const id = (name: string) => ids.get(name)!;
    /** Experiments of another workspace: one shares a name with the default workspace's. */
    const teamA = 'team-a';
    const teamAIds: string[] = [];

    beforeAll(async () => {
      // Only the experiments of these tests: the Default experiment would sort by the clock.
      await fixture.sqlDb.db.deleteFrom('experiments').where('experiment_id', '=', 0).execute();
      for (const e of seeded) ids.set(e.name!, await seedExperiment(fixture.sqlDb, e));
      await seedWorkspace(fixture.sqlDb, teamA);
      await seedWorkspace(fixture.sqlDb, 'empty');
      teamAIds.push(
        await seedExperiment(fixture.sqlDb, { workspace: teamA, name: 'alpha', creationTime: 10 }),
      );
      teamAIds.push(
        await seedExperiment(fixture.sqlDb, { workspace: teamA, name: 'omega', creationTime: 20 }),
      );
    });

    it('returns active experiments with their tags, newest first, ids breaking ties', async () => {
      const page = await search({});
      expect(names(page.items)).toEqual(['Beta', 'gamma_1', 'epsilon', 'alpha']);
      expect(page.nextPageToken).toBeUndefined();
      const alpha = page.items[3]!;
      expect(alpha).toMatchObject({
        name: 'alpha',
        lifecycleStage: 'active',
        creationTime: 100,
        lastUpdateTime: 500,
      });
      expect(alpha.tags).toEqual([
        { key: 'stage', value: 'prod' },
        { key: 'team', value: 'Vision' },
      ]);
      expect(page.items[1]!.tags).toEqual([]);
    });

    it('returns deleted or all experiments by view type', async () => {
      expect(await ordered([], 'DELETED_ONLY')).toEqual(['delta', 'zeta%']);
      expect(await ordered([], 'ALL')).toEqual(['Beta', 'gamma_1', 'epsilon', 'delta', 'alpha', 'zeta%']);
    });

    it.each([
      ["name = 'alpha'", ['alpha']],
      ["name != 'alpha'", ['Beta', 'epsilon', 'gamma_1']],
      ["name LIKE 'b%'", []],
      ["name LIKE 'B%'", ['Beta']],
      ["name ILIKE 'b%'", ['Beta']],
      ["name LIKE '%a'", ['Beta', 'alpha']],
      ["name LIKE 'gamma_1'", ['gamma_1']],
      ["name LIKE '%\\_%'", ['gamma_1']],
      ["name LIKE 'gamma\\__'", ['gamma_1']],
      ["name ILIKE 'GAMMA\\_%'", ['gamma_1']],
      ['creation_time = 300', ['Beta', 'epsilon', 'gamma_1']],
      ['creation_time != 300', ['alpha']],
      ['creation_time < 300', ['alpha']],
      ['creation_time >= 100', ['Beta', 'alpha', 'epsilon', 'gamma_1']],
      ['last_update_time > 400', ['alpha', 'epsilon']],
      ['last_update_time <= 400', ['Beta', 'gamma_1']],
      ["tags.team = 'vision'", ['Beta']],
      ["tags.team ILIKE 'VISION'", ['Beta', 'alpha']],
      ["tags.team LIKE 'V%'", ['alpha']],
      ["tags.team != 'nlp'", ['Beta', 'alpha']],
      ["tags.team = 'nlp' and creation_time = 300", ['epsilon']],
      ["tags.stage = 'prod' and name ILIKE 'ALPHA'", ['alpha']],
    ])('filters %s', async (filter, expected) => {
      expect(await matching(filter)).toEqual(sorted(expected));
    });

    it('matches experiments lacking or having a tag', async () => {
      const tagged = async (comparator: 'IS NULL' | 'IS NOT NULL') =>
        sorted(names((await search({ filter: [{ kind: 'tag', key: 'team', comparator }] })).items));
      expect(await tagged('IS NULL')).toEqual(['gamma_1']);
      expect(await tagged('IS NOT NULL')).toEqual(['Beta', 'alpha', 'epsilon']);
    });

    it('treats wildcard-like characters in names literally where they are not wildcards', async () => {
      expect(await matching("name = 'zeta%'", 'ALL')).toEqual(['zeta%']);
      expect(await matching("name LIKE 'zeta*'", 'ALL')).toEqual([]);
      expect(await matching("name LIKE 'zet?%'", 'ALL')).toEqual([]);
      expect(await matching("name LIKE '[z]eta%'", 'ALL')).toEqual([]);
    });

    it('reads a backslash as making the next pattern character literal, and a trailing one as itself', async () => {
      const like = async (comparator: 'LIKE' | 'ILIKE', value: string) =>
        names(
          (await search({ filter: [{ kind: 'attribute', key: 'name', comparator, value }], viewType: 'ALL' }))
            .items,
        );
      expect(await like('LIKE', 'zeta\\%')).toEqual(['zeta%']);
      expect(await like('ILIKE', 'ZETA\\%')).toEqual(['zeta%']);
      expect(await like('LIKE', 'alph\\a')).toEqual(['alpha']);
      expect(await like('LIKE', 'zeta%\\')).toEqual([]);
      expect(await like('ILIKE', '\\')).toEqual([]);
      expect(await like('LIKE', 'alpha\\\\')).toEqual([]);
    });

    it.each([
      [['name'], ['Beta', 'alpha', 'epsilon', 'gamma_1']],
      [['name DESC'], ['gamma_1', 'epsilon', 'alpha', 'Beta']],
      [['experiment_id DESC'], ['epsilon', 'gamma_1', 'Beta', 'alpha']],
      [['creation_time'], ['alpha', 'Beta', 'gamma_1', 'epsilon']],
      [
        ['creation_time DESC', 'last_update_time DESC'],
        ['epsilon', 'gamma_1', 'Beta', 'alpha'],
      ],
      [['last_update_time'], ['Beta', 'gamma_1', 'alpha', 'epsilon']],
    ])('orders by %j', async (orderBy, expected) => {
      expect(await ordered(orderBy)).toEqual(expected);
    });

    it('pages through every order with small pages exactly as one big page', async () => {
      for (const orderBy of [
        [],
        ['name'],
        ['creation_time'],
        ['last_update_time DESC'],
        ['experiment_id DESC'],
      ]) {
        for (const viewType of ['ACTIVE_ONLY', 'ALL'] as const) {
          const q = { orderBy: parseExperimentOrderBy(orderBy), viewType };
          const whole = names((await search(q)).items);
          for (const maxResults of [1, 2, 4]) {
            const seen: string[] = [];
            let pageToken: string | undefined;
            do {
              const page = await search({ ...q, maxResults, pageToken });
              expect(page.items.length).toBeLessThanOrEqual(maxResults);
              seen.push(...names(page.items));
              pageToken = page.nextPageToken;
            } while (pageToken);
            expect(seen, `${orderBy.join()} ${viewType} by ${maxResults}`).toEqual(whole);
          }
        }
      }
    });

    it('gives a token only when more experiments exist', async () => {
      expect((await search({ maxResults: 4 })).nextPageToken).toBeUndefined();
      expect((await search({ maxResults: 3 })).nextPageToken).toEqual(expect.any(String));
    });

    it('refuses malformed and foreign tokens with INVALID_PARAMETER_VALUE, then still resumes', async () => {
      const { nextPageToken } = await search({ maxResults: 2 });
      const token = nextPageToken!;
      for (const bad of ['nope', `${token}A`, token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'))]) {
        await expectKeelError(
          search({ maxResults: 2, pageToken: bad }),
          'INVALID_PARAMETER_VALUE',
          /Invalid page token/,
        );
      }
      for (const other of [
        { filter: parseExperimentFilter("name != 'x'") },
        { orderBy: parseExperimentOrderBy(['name']) },
        { viewType: 'ALL' as const },
      ]) {
        await expectKeelError(
          search({ maxResults: 2, pageToken: token, ...other }),
          'INVALID_PARAMETER_VALUE',
          /Invalid page token/,
        );
      }
      expect(names((await search({ maxResults: 2, pageToken: token })).items)).toEqual(['epsilon', 'alpha']);
    });

    it('returns only the experiments of the workspace searched', async () => {
      expect(names((await search({ workspace: teamA })).items)).toEqual(['omega', 'alpha']);
      expect((await search({ workspace: teamA })).items.map((e) => e.workspace)).toEqual([teamA, teamA]);
      expect((await search({})).items.every((e) => e.workspace === 'default')).toBe(true);
      expect((await search({ workspace: 'empty', viewType: 'ALL' })).items).toEqual([]);
      expect((await search({ workspace: 'no-such-workspace' })).items).toEqual([]);
      expect(await matching("name = 'alpha'")).toEqual(['alpha']);
      const alpha = (await search({ workspace: teamA, filter: parseExperimentFilter("name = 'alpha'") }))
        .items;
      expect(alpha.map((e) => e.experimentId)).toEqual([teamAIds[0]]);
    });

    it('returns only the allowed experiments of the workspace, ignoring ids that name none', async () => {
      const only = (allowed: string[], q: Partial<ExperimentSearchQuery> = {}) =>
        search({ readable: { kind: 'only', allowed }, ...q });
      expect(names((await only([id('alpha'), id('epsilon'), 'abc', '-1', teamAIds[1]!])).items)).toEqual([
        'epsilon',
        'alpha',
      ]);
      expect(names((await only([id('delta'), id('alpha')], { viewType: 'DELETED_ONLY' })).items)).toEqual([
        'delta',
      ]);
      for (const allowed of [[], ['abc', '1e3', '']]) {
        const page = await only(allowed, { maxResults: 1, viewType: 'ALL' });
        expect(page).toEqual({ items: [] });
      }
      expect(names((await only([teamAIds[1]!], { workspace: teamA })).items)).toEqual(['omega']);
    });

    it('leaves out the denied experiments, and nothing when none is denied', async () => {
      const except = (denied: string[], q: Partial<ExperimentSearchQuery> = {}) =>
        search({ readable: { kind: 'all-except', denied }, ...q });
      expect(names((await except([id('Beta'), 'nope', teamAIds[0]!])).items)).toEqual([
        'gamma_1',
        'epsilon',
        'alpha',
      ]);
      expect(names((await except([])).items)).toEqual(['Beta', 'gamma_1', 'epsilon', 'alpha']);
      expect(names((await except([teamAIds[0]!], { workspace: teamA })).items)).toEqual(['omega']);
      expect(await matching("name = 'alpha'")).toEqual(['alpha']);
      const filtered = await except([id('alpha')], { filter: parseExperimentFilter("name LIKE '%a'") });
      expect(names(filtered.items)).toEqual(['Beta']);
    });

    it('pages through a readable subset exactly as one big page', async () => {
      const readables: ReadableObjects[] = [
        { kind: 'all-except', denied: [id('gamma_1'), id('delta')] },
        { kind: 'only', allowed: [id('alpha'), id('Beta'), id('zeta%'), id('epsilon')] },
      ];
      for (const readable of readables) {
        for (const orderBy of [[], ['name'], ['last_update_time DESC']]) {
          const q = {
            readable,
            orderBy: parseExperimentOrderBy(orderBy),
            viewType: 'ALL' as const,
          };
          const whole = names((await search(q)).items);
          expect(whole.length).toBeGreaterThan(2);
          for (const maxResults of [1, 2]) {
            const seen: string[] = [];
            let pageToken: string | undefined;
            do {
              const page = await search({ ...q, maxResults, pageToken });
              seen.push(...names(page.items));
              pageToken = page.nextPageToken;
            } while (pageToken);
            expect(seen, `${readable.kind} ${orderBy.join()} by ${maxResults}`).toEqual(whole);
          }
        }
      }
    });

    it('refuses a token in another workspace or with another readable set', async () => {
      const first = await search({ maxResults: 1 });
      await expectKeelError(
        search({ workspace: teamA, maxResults: 1, pageToken: first.nextPageToken }),
        'INVALID_PARAMETER_VALUE',
        /Invalid page token/,
      );
      await expectKeelError(
        search({
          readable: { kind: 'all-except', denied: [] },
          maxResults: 1,
          pageToken: first.nextPageToken,
        }),
        'INVALID_PARAMETER_VALUE',
        /Invalid page token/,
      );
      const allowed = [id('alpha'), id('Beta'), id('epsilon')];
      const narrowed = await search({ readable: { kind: 'only', allowed }, maxResults: 1 });
      const others: (ReadableObjects | undefined)[] = [
        undefined,
        { kind: 'only', allowed: [...allowed, id('gamma_1')] },
        { kind: 'all-except', denied: allowed },
      ];
      for (const other of others) {
        await expectKeelError(
          search({
            readable: other,
            maxResults: 1,
            pageToken: narrowed.nextPageToken,
          }),
          'INVALID_PARAMETER_VALUE',
          /Invalid page token/,
        );
      }
      // The same set, listed in another order and with ids that name nothing, is the same search.
      const resumed = await search({
        readable: { kind: 'only', allowed: ['x', ...allowed].reverse() },
        maxResults: 5,
        pageToken: narrowed.nextPageToken,
      });
      expect(names(resumed.items)).toEqual(['epsilon', 'alpha']);
    });
  });
}
