import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engines } from '../support/databases.js';
import { expectError, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

const t0 = 1_700_000_000_000;
const runCount = 30;

describe.each(engines)('MLflow search REST API on %s', (engine) => {
  let server: TestServer;
  let rest: MlflowRest;
  let experimentId: string;
  /** Run ids by index i: score = i, group = i % 3, start_time = t0 + i. */
  const runIds: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ engine });
    rest = new MlflowRest(server.url);
    experimentId = await rest.createExperiment('search-runs');
    for (let i = 0; i < runCount; i++) {
      const run = await rest.createRun(experimentId, { run_name: `run-${i}`, start_time: t0 + i });
      runIds.push(run.info.run_id);
      await rest.ok('/runs/log-batch', {
        run_id: run.info.run_id,
        metrics: [
          { key: 'score', value: i - 1, timestamp: t0, step: 0 },
          { key: 'score', value: i, timestamp: t0 + 1, step: 1 },
        ],
        params: [{ key: 'group', value: String(i % 3) }],
        tags: [{ key: 'team', value: i < 10 ? 'red' : 'blue' }],
      });
    }
    await rest.ok('/runs/update', { run_id: runIds[0], status: 'FINISHED', end_time: t0 + 100 });
  });
  afterAll(async () => {
    await server?.close();
  });

  const search = async (body: Record<string, unknown>) =>
    rest.ok('/runs/search', { experiment_ids: [experimentId], max_results: 1000, ...body });
  const ids = (page: { runs?: { info: { run_id: string } }[] }) =>
    (page.runs ?? []).map((run) => run.info.run_id);

  describe('runs/search', () => {
    test('no filter: every active run, newest start_time first, full run shape', async () => {
      const page = await search({});
      expect(ids(page)).toEqual([...runIds].reverse());
      expect(page).not.toHaveProperty('next_page_token');
      const run = page.runs[runCount - 1];
      expect(run.info.run_id).toBe(runIds[0]);
      expect(run.info.status).toBe('FINISHED');
      expect(run.data.metrics).toEqual([{ key: 'score', value: 0, timestamp: t0 + 1, step: 1 }]);
      expect(run.data.params).toEqual([{ key: 'group', value: '0' }]);
      expect(run.inputs).toEqual({});
    });

    test('filters on the latest metric value, params, tags and attributes', async () => {
      const page = await search({
        filter: "metrics.score >= 20 and params.group = '1' AND tags.team = 'blue'",
      });
      expect(new Set(ids(page))).toEqual(new Set([22, 25, 28].map((i) => runIds[i])));
      const byName = await search({ filter: "attributes.run_name = 'run-7'" });
      expect(ids(byName)).toEqual([runIds[7]]);
      const likeName = await search({ filter: "run_name LIKE 'run-1%'" });
      expect(ids(likeName)).toHaveLength(11);
      const inIds = await search({ filter: `attributes.run_id IN ('${runIds[3]}', '${runIds[4]}')` });
      expect(new Set(ids(inIds))).toEqual(new Set([runIds[3], runIds[4]]));
      const finished = await search({ filter: "attributes.status = 'FINISHED'" });
      expect(ids(finished)).toEqual([runIds[0]]);
      const quoted = await search({ filter: 'metrics.`score` < 1' });
      expect(ids(quoted)).toEqual([runIds[0]]);
      expect(await search({ filter: "params.group = 'none'" })).toEqual({});
    });

    test('order_by metrics, params and attributes, with the start_time tie-breaker', async () => {
      const byScore = await search({ order_by: ['metrics.score DESC'] });
      expect(ids(byScore)).toEqual([...runIds].reverse());
      const byScoreAsc = await search({ order_by: ['metrics.score ASC'], max_results: 3 });
      expect(ids(byScoreAsc)).toEqual(runIds.slice(0, 3));
      const byGroup = await search({
        order_by: ['params.group ASC', 'attributes.start_time ASC'],
        max_results: 4,
      });
      expect(ids(byGroup)).toEqual([0, 3, 6, 9].map((i) => runIds[i]));
      const byName = await search({ order_by: ['attributes.run_name DESC'], max_results: 1 });
      expect(ids(byName)).toEqual([runIds[9]]);
    });

    test('pages with max_results and page_token cover every run once', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await search({ max_results: 7, page_token: token, order_by: ['metrics.score ASC'] });
        seen.push(...ids(page));
        token = page.next_page_token;
        pages += 1;
      } while (token);
      expect(pages).toBe(5);
      expect(seen).toEqual(runIds);
    });

    test('run_view_type selects active, deleted or all runs (by name or number)', async () => {
      const extra = await rest.createExperiment('search-view-types');
      const keep = (await rest.createRun(extra)).info.run_id;
      const gone = (await rest.createRun(extra)).info.run_id;
      await rest.ok('/runs/delete', { run_id: gone });
      const view = async (runViewType: unknown) =>
        ids(await rest.ok('/runs/search', { experiment_ids: [extra], run_view_type: runViewType }));
      expect(await view(undefined)).toEqual([keep]);
      expect(await view('ACTIVE_ONLY')).toEqual([keep]);
      expect(await view('DELETED_ONLY')).toEqual([gone]);
      expect(new Set(await view('ALL'))).toEqual(new Set([keep, gone]));
      expect(new Set(await view(3))).toEqual(new Set([keep, gone]));
      expectError(
        await rest.post('/runs/search', { experiment_ids: [extra], run_view_type: 'SOME' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    });

    test('no experiment ids, or unknown ones, answer {}', async () => {
      expect(await rest.ok('/runs/search', {})).toEqual({});
      expect(await rest.ok('/runs/search', { experiment_ids: ['55555'] })).toEqual({});
    });

    test('bad filters, orders, tokens and page sizes are 400 INVALID_PARAMETER_VALUE', async () => {
      const bad: [Record<string, unknown>, RegExp?][] = [
        [{ filter: "metrics.score > 1 OR params.group = '1'" }, /OR/i],
        [{ filter: "metrics.score > '1'" }, /numeric/],
        [{ filter: "foo.bar = '1'" }, /Invalid entity type/],
        [{ filter: 'params.group = ' }],
        [{ order_by: ['foo.bar DESC'] }, /Invalid entity type 'foo'/],
        [{ page_token: 'not-a-token' }],
        [{ max_results: 50001 }, /Invalid value 50001 for parameter 'max_results' supplied/],
        [{ max_results: 0 }, /max_results/],
        [{ max_results: 'many' }, /Invalid value "many" for parameter 'max_results' supplied/],
        [{ experiment_ids: 'x' }, /experiment_ids/],
      ];
      for (const [body, message] of bad) {
        const answer = await rest.post('/runs/search', { experiment_ids: [experimentId], ...body });
        expectError(answer, 400, 'INVALID_PARAMETER_VALUE', message);
      }
      const page = await search({ max_results: 50000 });
      expect(page.runs).toHaveLength(runCount);
    });
  });

  describe('experiments/search', () => {
    let created: string[];

    beforeAll(async () => {
      created = [];
      for (const name of ['alpha-one', 'alpha-two', 'beta-one']) {
        created.push(
          await rest.createExperiment(`es-${name}`, {
            tags: [{ key: 'family', value: name.split('-')[0]! }],
          }),
        );
      }
      await rest.ok('/experiments/delete', { experiment_id: created[2] });
    });

    const names = (page: { experiments?: { name: string }[] }) => (page.experiments ?? []).map((e) => e.name);

    test('POST and GET search with filters, order and view types', async () => {
      const post = await rest.ok('/experiments/search', {
        max_results: 100,
        filter: "name LIKE 'es-%'",
        order_by: ['name DESC'],
      });
      expect(names(post)).toEqual(['es-alpha-two', 'es-alpha-one']);
      const get = await rest.getOk('/experiments/search', {
        max_results: 100,
        filter: "name LIKE 'es-%'",
        order_by: ['name DESC'],
      });
      expect(get).toEqual(post);
      const tagged = await rest.getOk('/experiments/search', {
        max_results: 100,
        filter: "tags.family = 'alpha'",
      });
      expect(new Set(names(tagged))).toEqual(new Set(['es-alpha-one', 'es-alpha-two']));
      const deleted = await rest.getOk('/experiments/search', {
        max_results: 100,
        view_type: 'DELETED_ONLY',
      });
      expect(names(deleted)).toContain('es-beta-one');
      expect(names(deleted)).not.toContain('es-alpha-one');
      const all = await rest.ok('/experiments/search', {
        max_results: 100,
        view_type: 'ALL',
        filter: "name ILIKE 'ES-%'",
      });
      expect(names(all)).toHaveLength(3);
      expect(await rest.ok('/experiments/search', { max_results: 10, filter: "name = 'nothing'" })).toEqual(
        {},
      );
    });

    test('default order is newest first; pages cover everything once', async () => {
      const everything = await rest.ok('/experiments/search', { max_results: 1000, view_type: 'ALL' });
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await rest.getOk('/experiments/search', {
          max_results: 2,
          view_type: 'ALL',
          page_token: token,
        });
        seen.push(...page.experiments.map((e: { experiment_id: string }) => e.experiment_id));
        token = page.next_page_token;
      } while (token);
      expect(seen).toEqual(everything.experiments.map((e: { experiment_id: string }) => e.experiment_id));
      expect(seen.indexOf(created[1]!)).toBeLessThan(seen.indexOf('0'));
    });

    test('bad filter, order, view type, token or max_results are 400', async () => {
      const bad: [Record<string, unknown>, RegExp?][] = [
        [{ filter: "foo = 'x'" }, /Invalid attribute key 'foo'/],
        [{ order_by: ['nope ASC'] }],
        [{ view_type: 'EVERYTHING' }],
        [{ page_token: '%%%' }],
        [{ max_results: 0 }, /positive integer/],
        [{ max_results: 50001 }],
      ];
      for (const [body, message] of bad) {
        expectError(
          await rest.post('/experiments/search', { max_results: 10, ...body }),
          400,
          'INVALID_PARAMETER_VALUE',
          message,
        );
      }
      expectError(
        await rest.get('/experiments/search', { max_results: 'ten' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'max_results'/,
      );
    });
  });
});
