import { beforeAll, describe, expect, it } from 'vitest';
import { searchLoggedModels } from '../../src/backends/sql/search/index.js';
import type { LoggedModel } from '../../src/core/tracking/entities.js';
import { parseLoggedModelFilter, parseLoggedModelOrderBy } from '../../src/core/tracking/index.js';
import type { LoggedModelFilterClause } from '../../src/core/tracking/search-ast.js';
import type { LoggedModelSearchQuery } from '../../src/core/tracking/tracking-store.js';
import { engines } from '../support/databases.js';
import { expectKeelError, seedExperiment, seedLoggedModels, useSearchDatabase } from './search-fixture.js';

const names = (models: LoggedModel[]) => models.map((m) => m.name);
const sorted = (values: string[]) => [...values].sort();
const id = (n: number) => `m-${String(n).padStart(32, '0')}`;

for (const engine of engines) {
  describe(`searchLoggedModels (${engine})`, () => {
    const fixture = useSearchDatabase(engine, 'keel_search_models');
    let experimentId = '';
    let otherExperimentId = '';

    const search = (q: Partial<LoggedModelSearchQuery>) =>
      searchLoggedModels(fixture.sqlDb, {
        experimentIds: [experimentId],
        filter: [],
        orderBy: [],
        datasets: [],
        maxResults: 100,
        ...q,
      });
    const matching = async (
      filter: string | LoggedModelFilterClause[],
      datasets: LoggedModelSearchQuery['datasets'] = [],
    ) =>
      sorted(
        names(
          (
            await search({
              filter: typeof filter === 'string' ? parseLoggedModelFilter(filter) : filter,
              datasets,
            })
          ).items,
        ),
      );
    const ordered = async (orderBy: unknown[]) =>
      names((await search({ orderBy: parseLoggedModelOrderBy(orderBy) })).items);

    beforeAll(async () => {
      experimentId = await seedExperiment(fixture.sqlDb);
      otherExperimentId = await seedExperiment(fixture.sqlDb);
      await seedLoggedModels(fixture.sqlDb, experimentId, [
        {
          modelId: id(1),
          name: 'alpha',
          creationTime: 100,
          modelType: 'sklearn',
          sourceRunId: 'r1',
          params: { lr: '0.1' },
          tags: { env: 'prod' },
          metrics: [
            { key: 'acc', value: 0.5, timestamp: 1, step: 0, datasetName: 'eval', datasetDigest: 'd1' },
            { key: 'acc', value: 0.9, timestamp: 2, step: 1, datasetName: 'eval', datasetDigest: 'd1' },
            { key: 'acc', value: 0.99, timestamp: 3, step: 0, datasetName: 'train', datasetDigest: 'd2' },
          ],
        },
        {
          modelId: id(2),
          name: 'beta',
          creationTime: 200,
          status: 'LOGGED_MODEL_PENDING',
          params: { lr: '0.01' },
          metrics: [
            { key: 'acc', value: 0.7, timestamp: 5, step: 9, datasetName: 'eval', datasetDigest: 'd1' },
            // The latest point is the latest timestamp, whatever its step.
            { key: 'acc', value: 0.2, timestamp: 6, step: 0, datasetName: 'eval', datasetDigest: 'd1' },
            { key: 'loss', value: 3, timestamp: 1, step: 0 },
            { key: 'loss', value: Number.NaN, timestamp: 2, step: 0 },
          ],
        },
        {
          modelId: id(3),
          name: 'Gamma',
          creationTime: 200,
          modelType: 'pytorch',
          tags: { env: 'dev' },
          metrics: [{ key: 'acc', value: 0.8, timestamp: 1, step: 0 }],
        },
        { modelId: id(4), name: 'delta', creationTime: 300, stage: 'deleted', modelType: 'sklearn' },
        { modelId: id(5), name: 'eps', creationTime: 50, modelType: 'sklearn' },
      ]);
      await seedLoggedModels(fixture.sqlDb, otherExperimentId, [
        { modelId: id(6), name: 'other', creationTime: 400 },
      ]);
    });

    it('returns the active models of the experiments, newest first, ids breaking ties', async () => {
      const page = await search({});
      expect(names(page.items)).toEqual(['beta', 'Gamma', 'alpha', 'eps']);
      expect(page.nextPageToken).toBeUndefined();
      expect(names((await search({ experimentIds: [experimentId, otherExperimentId] })).items)).toEqual([
        'other',
        'beta',
        'Gamma',
        'alpha',
        'eps',
      ]);
    });

    it('loads each model whole, with the latest metric point per key and dataset', async () => {
      const alpha = (await search({ filter: parseLoggedModelFilter("name = 'alpha'") })).items[0]!;
      expect(alpha).toMatchObject({
        modelId: id(1),
        experimentId,
        name: 'alpha',
        creationTimestampMs: 100,
        status: 'LOGGED_MODEL_READY',
        modelType: 'sklearn',
        sourceRunId: 'r1',
        lifecycleStage: 'active',
        params: [{ key: 'lr', value: '0.1' }],
        tags: [{ key: 'env', value: 'prod' }],
      });
      // eval's step-0 point (0.5) is superseded by its step-1 point.
      expect(alpha.metrics.map((m) => [m.key, m.value, m.datasetName])).toEqual([
        ['acc', 0.99, 'train'],
        ['acc', 0.9, 'eval'],
      ]);
    });

    it('finds nothing for no, unknown or non-numeric experiment ids', async () => {
      for (const experimentIds of [[], ['424242'], ['abc'], ['99999999999']]) {
        expect(await search({ experimentIds }), experimentIds.join()).toEqual({ items: [] });
      }
    });

    it.each([
      ["name = 'alpha'", ['alpha']],
      ["name != 'alpha'", ['Gamma', 'beta', 'eps']],
      ["name LIKE 'g%'", []],
      ["name LIKE 'G%'", ['Gamma']],
      ["name ILIKE 'g%'", ['Gamma']],
      ["name IN ('alpha', 'beta', 'delta')", ['alpha', 'beta']],
      ["name NOT IN ('alpha', 'beta')", ['Gamma', 'eps']],
      ["model_type = 'sklearn'", ['alpha', 'eps']],
      ["model_type != 'sklearn'", ['Gamma']],
      ["status = 'LOGGED_MODEL_PENDING'", ['beta']],
      ["source_run_id = 'r1'", ['alpha']],
      [`model_id = '${id(3)}'`, ['Gamma']],
      ['creation_timestamp >= 200', ['Gamma', 'beta']],
      ['creation_timestamp < 100', ['eps']],
      ['last_updated_timestamp = 101', ['alpha']],
      ["params.lr = '0.1'", ['alpha']],
      ["params.lr LIKE '0.%'", ['alpha', 'beta']],
      ["tags.env = 'prod'", ['alpha']],
      ["tags.env != 'prod'", ['Gamma']],
      ["tags.env ILIKE 'PROD' and params.lr = '0.1'", ['alpha']],
    ])('filters %s', async (filter, expected) => {
      expect(await matching(filter)).toEqual(sorted(expected));
    });

    it('matches params and tags that are absent or present', async () => {
      expect(await matching([{ kind: 'param', key: 'lr', comparator: 'IS NULL' }])).toEqual(
        sorted(['Gamma', 'eps']),
      );
      expect(await matching([{ kind: 'tag', key: 'env', comparator: 'IS NOT NULL' }])).toEqual(
        sorted(['Gamma', 'alpha']),
      );
    });

    it('compares the latest metric point, across datasets or within the ones asked for', async () => {
      expect(await matching('metrics.acc > 0.85')).toEqual(['alpha']);
      expect(await matching('metrics.acc < 0.85')).toEqual(sorted(['Gamma', 'beta']));
      expect(await matching('metrics.acc = 0.7')).toEqual([]);
      expect(await matching('metrics.acc < 0.85', [{ datasetName: 'eval' }])).toEqual(['beta']);
      expect(await matching('metrics.acc > 0.85', [{ datasetName: 'eval', datasetDigest: 'd1' }])).toEqual([
        'alpha',
      ]);
      expect(await matching('metrics.acc > 0.85', [{ datasetName: 'eval', datasetDigest: 'other' }])).toEqual(
        [],
      );
      expect(
        await matching('metrics.acc > 0.95', [{ datasetName: 'eval' }, { datasetName: 'train' }]),
      ).toEqual(['alpha']);
    });

    it('never matches a NaN latest value', async () => {
      expect(await matching('metrics.loss > 0')).toEqual([]);
      expect(await matching('metrics.loss != 0')).toEqual([]);
    });

    it('keeps the models with metrics on the datasets when no metric clause is given', async () => {
      expect(await matching('', [{ datasetName: 'train', datasetDigest: 'd2' }])).toEqual(['alpha']);
      expect(await matching('', [{ datasetName: 'eval' }])).toEqual(sorted(['alpha', 'beta']));
      expect(await matching("name = 'beta'", [{ datasetName: 'train' }])).toEqual([]);
    });

    it.each([
      [[{ field_name: 'name' }], ['Gamma', 'alpha', 'beta', 'eps']],
      [[{ field_name: 'name', ascending: false }], ['eps', 'beta', 'alpha', 'Gamma']],
      [[{ field_name: 'model_type' }], ['Gamma', 'alpha', 'eps', 'beta']],
      [[{ field_name: 'model_type', ascending: false }], ['alpha', 'eps', 'Gamma', 'beta']],
      [[{ field_name: 'creation_timestamp' }], ['eps', 'alpha', 'beta', 'Gamma']],
      [[{ field_name: 'metrics.acc' }], ['beta', 'Gamma', 'alpha', 'eps']],
      [[{ field_name: 'metrics.acc', ascending: false }], ['alpha', 'Gamma', 'beta', 'eps']],
      [
        [{ field_name: 'metrics.acc', ascending: false, dataset_name: 'eval' }],
        ['alpha', 'beta', 'Gamma', 'eps'],
      ],
      [
        [{ field_name: 'metrics.acc', dataset_name: 'eval', dataset_digest: 'd1' }],
        ['beta', 'alpha', 'Gamma', 'eps'],
      ],
      [[{ field_name: 'metrics.loss' }], ['beta', 'Gamma', 'alpha', 'eps']],
      [
        [{ field_name: 'model_type' }, { field_name: 'name', ascending: false }],
        ['Gamma', 'eps', 'alpha', 'beta'],
      ],
    ])('orders by %j, missing values last', async (orderBy, expected) => {
      expect(await ordered(orderBy)).toEqual(expected);
    });

    it('pages through every order with small pages exactly as one big page', async () => {
      const orders: unknown[][] = [
        [],
        [{ field_name: 'name' }],
        [{ field_name: 'model_type', ascending: false }],
        [{ field_name: 'metrics.acc' }],
        [{ field_name: 'metrics.loss', ascending: false }],
        [{ field_name: 'metrics.acc', dataset_name: 'eval' }, { field_name: 'name' }],
      ];
      for (const orderBy of orders) {
        const q = { orderBy: parseLoggedModelOrderBy(orderBy) };
        const whole = names((await search(q)).items);
        expect(whole).toHaveLength(4);
        for (const maxResults of [1, 3]) {
          const seen: string[] = [];
          let pageToken: string | undefined;
          do {
            const page = await search({ ...q, maxResults, pageToken });
            expect(page.items.length).toBeLessThanOrEqual(maxResults);
            seen.push(...names(page.items));
            pageToken = page.nextPageToken;
          } while (pageToken);
          expect(seen, `${JSON.stringify(orderBy)} by ${maxResults}`).toEqual(whole);
        }
      }
    });

    it('refuses malformed and foreign tokens with INVALID_PARAMETER_VALUE', async () => {
      const { nextPageToken } = await search({ maxResults: 1 });
      const token = nextPageToken!;
      await expectKeelError(
        search({ maxResults: 1, pageToken: 'x.y' }),
        'INVALID_PARAMETER_VALUE',
        /Invalid page token/,
      );
      for (const other of [
        { filter: parseLoggedModelFilter("name != 'x'") },
        { orderBy: parseLoggedModelOrderBy([{ field_name: 'name' }]) },
        { datasets: [{ datasetName: 'eval' }] },
        { experimentIds: [experimentId, otherExperimentId] },
      ]) {
        await expectKeelError(
          search({ maxResults: 1, pageToken: token, ...other }),
          'INVALID_PARAMETER_VALUE',
          /Invalid page token/,
        );
      }
      expect(names((await search({ maxResults: 1, pageToken: token })).items)).toEqual(['Gamma']);
    });
  });
}
