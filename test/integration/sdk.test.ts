import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelClient, KeelError } from '../../src/sdk/index.js';
import type { Run } from '../../src/sdk/index.js';
import { engines } from '../support/databases.js';
import { startTestServer } from '../support/server.js';
import type { TestServer } from '../support/server.js';
import { ensureBuilt, repoRoot } from './built-keel.js';

async function failure(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeelError);
  return error as KeelError;
}

const tags = (run: Run): Record<string, string> =>
  Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

const work = mkdtempSync(join(tmpdir(), 'keel-sdk-it-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(engines)('KeelClient against a real Keel server (%s)', (engine) => {
  let server: TestServer;
  let client: KeelClient;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    client = new KeelClient({ trackingUri: server.url });
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('experiments', () => {
    it('creates, reads by id and by name, with tags', async () => {
      const name = unique('exp');
      const id = await client.experiments.create(name, { tags: { team: 'ml' } });
      const byId = await client.experiments.get(id);
      expect(byId).toMatchObject({
        experimentId: id,
        name,
        lifecycleStage: 'active',
        tags: [{ key: 'team', value: 'ml' }],
      });
      expect(byId.artifactLocation).toMatch(/^mlflow-artifacts:/);
      expect(await client.experiments.getByName(name)).toEqual(byId);
      expect(await client.experiments.getByName(unique('missing'))).toBeUndefined();
    });

    it('refuses a duplicate name and leaves the experiment as it was', async () => {
      const name = unique('dup');
      const id = await client.experiments.create(name);
      const error = await failure(client.experiments.create(name));
      expect(error.code).toBe('RESOURCE_ALREADY_EXISTS');
      const all = await client.experiments.search({ filter: `name = '${name}'`, viewType: 'ALL' });
      expect(all.items.map((e) => e.experimentId)).toEqual([id]);
    });

    it('searches with filter, order, view and paging, and iterates every page', async () => {
      const prefix = unique('page');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await client.experiments.create(`${prefix}-${i}`));
      const first = await client.experiments.search({
        filter: `name LIKE '${prefix}-%'`,
        orderBy: ['name ASC'],
        maxResults: 2,
      });
      expect(first.items.map((e) => e.name)).toEqual([`${prefix}-0`, `${prefix}-1`]);
      expect(first.nextPageToken).toBeTruthy();
      const names: string[] = [];
      for await (const e of client.experiments.iterate({
        filter: `name LIKE '${prefix}-%'`,
        orderBy: ['name DESC'],
        maxResults: 2,
      })) {
        names.push(e.name);
      }
      expect(names).toEqual([4, 3, 2, 1, 0].map((i) => `${prefix}-${i}`));

      await client.experiments.delete(ids[0] as string);
      const active = await client.experiments.search({ filter: `name LIKE '${prefix}-%'` });
      expect(active.items).toHaveLength(4);
      const deleted = await client.experiments.search({
        filter: `name LIKE '${prefix}-%'`,
        viewType: 'DELETED_ONLY',
      });
      expect(deleted.items.map((e) => e.experimentId)).toEqual([ids[0]]);
    });

    it('renames, deletes, restores and tags', async () => {
      const id = await client.experiments.create(unique('life'));
      const newName = unique('renamed');
      await client.experiments.rename(id, newName);
      expect((await client.experiments.get(id)).name).toBe(newName);

      await client.experiments.delete(id);
      expect((await client.experiments.get(id)).lifecycleStage).toBe('deleted');
      await client.experiments.restore(id);
      expect((await client.experiments.get(id)).lifecycleStage).toBe('active');

      await client.experiments.setTag(id, 'stage', 'dev');
      expect((await client.experiments.get(id)).tags).toEqual([{ key: 'stage', value: 'dev' }]);
      await client.experiments.deleteTag(id, 'stage');
      expect((await client.experiments.get(id)).tags).toEqual([]);
      expect((await failure(client.experiments.deleteTag(id, 'stage'))).code).toBe('RESOURCE_DOES_NOT_EXIST');
    });

    it('refuses a rename to a taken name and keeps the old name', async () => {
      const taken = unique('taken');
      await client.experiments.create(taken);
      const name = unique('keep');
      const id = await client.experiments.create(name);
      const error = await failure(client.experiments.rename(id, taken));
      expect(error.status).toBe(400);
      expect((await client.experiments.get(id)).name).toBe(name);
    });

    it('reads the server version', async () => {
      expect(await client.serverVersion()).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('reports an unknown experiment with the server code and message', async () => {
      const error = await failure(client.experiments.get('987654'));
      expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(error.message).toContain('987654');
    });
  });

  describe('runs', () => {
    let experimentId: string;
    beforeAll(async () => {
      experimentId = await client.experiments.create(unique('runs'));
    });

    it('creates a run with git capture and nesting, then updates and terminates it', async () => {
      const repo = join(work, unique('repo'));
      mkdirSync(repo);
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd: repo })
          .toString()
          .trim();
      git('init', '-q', '-b', 'trunk');
      writeFileSync(join(repo, 'train.py'), 'print(1)\n');
      git('add', '.');
      git('commit', '-q', '-m', 'init');
      git('remote', 'add', 'origin', 'https://user:secret@example.com/org/repo.git');

      const parent = await client.runs.create({ experimentId, runName: 'parent' });
      const run = await client.runs.create({
        experimentId,
        runName: 'child',
        parentRunId: parent.info.runId,
        captureGit: { cwd: repo, sourceName: 'train.py', user: 'ann' },
        tags: { custom: 'yes' },
      });
      expect(run.info).toMatchObject({
        runName: 'child',
        experimentId,
        status: 'RUNNING',
        userId: 'ann',
        endTime: null,
      });
      expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
      const t = tags(await client.runs.get(run.info.runId));
      expect(t).toMatchObject({
        'mlflow.parentRunId': parent.info.runId,
        'mlflow.source.name': 'train.py',
        'mlflow.source.type': 'LOCAL',
        'mlflow.user': 'ann',
        'mlflow.source.git.commit': git('rev-parse', 'HEAD'),
        'mlflow.source.git.branch': 'trunk',
        'mlflow.source.git.repoURL': 'https://example.com/org/repo.git',
        'keel.source.git.dirty': 'false',
        custom: 'yes',
      });

      const renamed = await client.runs.update(run.info.runId, { runName: 'child-2' });
      expect(renamed.runName).toBe('child-2');
      const ended = await client.runs.terminate(run.info.runId, 'FAILED', 12345);
      expect(ended).toMatchObject({ status: 'FAILED', endTime: 12345 });
      expect((await client.runs.get(run.info.runId)).info.status).toBe('FAILED');
    });

    it('logs metrics (non-finite too), params and tags one by one', async () => {
      const { info } = await client.runs.create({ experimentId });
      await client.runs.logMetric(info.runId, 'loss', 0.5, { step: 1, timestamp: 1000 });
      await client.runs.logMetric(info.runId, 'loss', 0.25, { step: 2, timestamp: 2000 });
      await client.runs.logMetric(info.runId, 'weird', Number.NaN);
      await client.runs.logMetric(info.runId, 'big', Number.POSITIVE_INFINITY, { step: 3 });
      await client.runs.logParam(info.runId, 'lr', 0.1);
      await client.runs.setTag(info.runId, 'phase', 'train');
      const run = await client.runs.get(info.runId);
      const latest = Object.fromEntries(run.data.metrics.map((m) => [m.key, m]));
      expect(latest.loss).toMatchObject({ value: 0.25, step: 2, timestamp: 2000 });
      expect(latest.weird?.value).toBeNaN();
      expect(latest.big?.value).toBe(Number.POSITIVE_INFINITY);
      expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
      expect(tags(run).phase).toBe('train');
      expect((await client.runs.getMetricHistory(info.runId, 'loss')).map((m) => m.value)).toEqual([
        0.5, 0.25,
      ]);
      expect(await client.runs.getMetricHistory(info.runId, 'never-logged')).toEqual([]);

      await client.runs.deleteTag(info.runId, 'phase');
      expect(tags(await client.runs.get(info.runId)).phase).toBeUndefined();
      expect((await failure(client.runs.deleteTag(info.runId, 'phase'))).code).toBe(
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    it('refuses to change a param and keeps the first value', async () => {
      const { info } = await client.runs.create({ experimentId });
      await client.runs.logParam(info.runId, 'p', '1');
      await client.runs.logParam(info.runId, 'p', '1');
      const error = await failure(client.runs.logParam(info.runId, 'p', '2'));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toContain('Changing param values is not allowed');
      expect((await client.runs.get(info.runId)).data.params).toEqual([{ key: 'p', value: '1' }]);
    });

    it('splits a batch of 2500 metrics and 250 params over MLflow limits and stores all of it', async () => {
      const { info } = await client.runs.create({ experimentId });
      const metrics = Array.from({ length: 2500 }, (_, i) => ({
        key: `m${i % 2}`,
        value: i,
        step: i,
        timestamp: 1_000_000 + i,
      }));
      const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, `v${i}`]));
      const requests = await client.runs.logBatch(info.runId, { metrics, params, tags: { source: 'batch' } });
      expect(requests).toBe(3);
      const run = await client.runs.get(info.runId);
      expect(run.data.params).toHaveLength(250);
      expect(tags(run).source).toBe('batch');
      const history = await client.runs.getMetricHistory(info.runId, 'm0');
      expect(history).toHaveLength(1250);
      expect(history.map((m) => m.step).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 1250 }, (_, i) => i * 2),
      );
      expect(run.data.metrics.find((m) => m.key === 'm1')).toMatchObject({ value: 2499, step: 2499 });
    });

    it('reads a metric history longer than one page (25000 points)', async () => {
      const { info } = await client.runs.create({ experimentId });
      const metrics = Array.from({ length: 26_000 }, (_, i) => ({
        key: 'long',
        value: i / 7,
        step: i,
        timestamp: i,
      }));
      expect(await client.runs.logBatch(info.runId, { metrics })).toBe(26);
      const history = await client.runs.getMetricHistory(info.runId, 'long');
      expect(history).toHaveLength(26_000);
      expect(new Set(history.map((m) => m.step)).size).toBe(26_000);
    });

    it('reports a bad batch without storing any of it', async () => {
      const { info } = await client.runs.create({ experimentId });
      const error = await failure(
        client.runs.logBatch(info.runId, {
          metrics: [
            { key: 'ok', value: 1 },
            { key: 'bad*key', value: 2 },
          ],
        }),
      );
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect((await client.runs.get(info.runId)).data.metrics).toEqual([]);
    });

    it('searches runs with filter and order, and iterates every page', async () => {
      const exp = await client.experiments.create(unique('search'));
      for (let i = 0; i < 7; i++) {
        const { info } = await client.runs.create({ experimentId: exp, runName: `r${i}` });
        await client.runs.logBatch(info.runId, {
          metrics: [{ key: 'score', value: i }],
          params: { group: String(i % 2) },
        });
      }
      const page = await client.runs.search({
        experimentIds: [exp],
        filter: "params.group = '1' AND metrics.score >= 3",
        orderBy: ['metrics.score DESC'],
      });
      expect(page.items.map((r) => r.info.runName)).toEqual(['r5', 'r3']);
      const names: string[] = [];
      for await (const run of client.runs.iterate({
        experimentIds: [exp],
        orderBy: ['metrics.score ASC'],
        maxResults: 3,
      })) {
        names.push(run.info.runName);
      }
      expect(names).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
      const bad = await failure(
        client.runs.search({ experimentIds: [exp], filter: 'metrics.score > 1 OR params.a = 1' }),
      );
      expect(bad.code).toBe('INVALID_PARAMETER_VALUE');
    });

    it('deletes and restores a run, and refuses writes to a deleted run', async () => {
      const { info } = await client.runs.create({ experimentId });
      await client.runs.delete(info.runId);
      expect((await client.runs.get(info.runId)).info.lifecycleStage).toBe('deleted');
      const error = await failure(client.runs.logMetric(info.runId, 'm', 1));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect((await client.runs.get(info.runId)).data.metrics).toEqual([]);
      const hidden = await client.runs.search({
        experimentIds: [experimentId],
        filter: `attributes.run_id = '${info.runId}'`,
      });
      expect(hidden.items).toEqual([]);
      await client.runs.restore(info.runId);
      expect((await client.runs.get(info.runId)).info.lifecycleStage).toBe('active');
    });

    it('logs dataset inputs', async () => {
      const { info } = await client.runs.create({ experimentId });
      await client.runs.logInputs(info.runId, {
        datasets: [
          {
            dataset: {
              name: 'iris',
              digest: 'abc123',
              sourceType: 'local',
              source: '{"uri": "/data/iris.csv"}',
              schema: '{"mlflow_colspec": []}',
              profile: '{"num_rows": 150}',
            },
            tags: [{ key: 'mlflow.data.context', value: 'training' }],
          },
        ],
      });
      const run = await client.runs.get(info.runId);
      expect(run.inputs.datasetInputs).toEqual([
        {
          dataset: {
            name: 'iris',
            digest: 'abc123',
            sourceType: 'local',
            source: '{"uri": "/data/iris.csv"}',
            schema: '{"mlflow_colspec": []}',
            profile: '{"num_rows": 150}',
          },
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
        },
      ]);
    });

    it('reports an unknown run as RESOURCE_DOES_NOT_EXIST', async () => {
      const error = await failure(client.runs.get('0'.repeat(32)));
      expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(error.message).toContain('0'.repeat(32));
    });
  });

  describe('async logger', () => {
    it('flushes in order across batches: histories complete, last tag value wins', async () => {
      const experimentId = await client.experiments.create(unique('async'));
      const { info } = await client.runs.create({ experimentId });
      const logger = client.asyncLogger(info.runId, { flushIntervalMs: 5, maxBatch: 250 });
      logger.logParam('epochs', 30);
      for (let step = 0; step < 1200; step++) {
        logger.logMetric('loss', 1 / (step + 1), { step, timestamp: 5000 + step });
        if (step % 100 === 0) logger.setTag('progress', String(step));
      }
      await logger.flush();
      logger.setTag('progress', 'done');
      await logger.close();
      const run = await client.runs.get(info.runId);
      expect(tags(run).progress).toBe('done');
      expect(run.data.params).toEqual([{ key: 'epochs', value: '30' }]);
      const history = await client.runs.getMetricHistory(info.runId, 'loss');
      expect(history).toHaveLength(1200);
      expect(run.data.metrics[0]).toMatchObject({ key: 'loss', step: 1199 });
    });

    it('surfaces a server error on flush', async () => {
      const { info } = await client.runs.create({
        experimentId: await client.experiments.create(unique('asyncerr')),
      });
      const logger = client.asyncLogger(info.runId, { flushIntervalMs: 60_000 });
      logger.logParam('p', 'a');
      await logger.flush();
      logger.logParam('p', 'b');
      const error = await failure(logger.close());
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toContain('were not logged');
      expect((await client.runs.get(info.runId)).data.params).toEqual([{ key: 'p', value: 'a' }]);
    });

    it('flushes what is queued when the process is about to exit', async () => {
      await ensureBuilt();
      const { info } = await client.runs.create({
        experimentId: await client.experiments.create(unique('exit')),
      });
      const script = join(work, `${unique('exit')}.mjs`);
      writeFileSync(
        script,
        `import { KeelClient } from ${JSON.stringify(join(repoRoot, 'dist/src/sdk/index.js'))};\n` +
          `const client = new KeelClient({ trackingUri: process.argv[2] });\n` +
          `const logger = client.asyncLogger(process.argv[3], { flushIntervalMs: 60000 });\n` +
          `for (let step = 0; step < 50; step++) logger.logMetric('m', step, { step });\n` +
          `logger.setTag('written-by', 'child');\n`,
      );
      // Asynchronously: the server answers from this very process.
      const child = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [script, server.url, info.runId],
          { timeout: 30_000 },
          (error, _stdout, stderr) =>
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
        );
      });
      expect(child).toEqual({ code: 0, stderr: '' });
      expect(await client.runs.getMetricHistory(info.runId, 'm')).toHaveLength(50);
      expect(tags(await client.runs.get(info.runId))['written-by']).toBe('child');
    });
  });

  describe('artifacts', () => {
    let runId: string;
    beforeAll(async () => {
      const experimentId = await client.experiments.create(unique('artifacts'));
      runId = (await client.runs.create({ experimentId })).info.runId;
    });

    it('uploads a directory tree and downloads it back byte for byte', async () => {
      const source = join(work, unique('tree'));
      const files: Record<string, Buffer> = {
        'model.json': Buffer.from('{"w": [1, 2]}'),
        'plots/loss.svg': Buffer.from('<svg/>'),
        'plots/deep/nested/data.bin': randomBytes(300_000),
        'empty.txt': Buffer.alloc(0),
        'with space/ünï.txt': Buffer.from('unicode'),
      };
      for (const [path, bytes] of Object.entries(files)) {
        mkdirSync(join(source, path, '..'), { recursive: true });
        writeFileSync(join(source, path), bytes);
      }
      const uploaded = await client.artifacts.uploadDir(runId, source, 'bundle');
      expect(uploaded).toEqual(
        Object.keys(files)
          .map((p) => `bundle/${p}`)
          .sort(),
      );

      const root = await client.artifacts.list(runId);
      expect(root).toEqual([{ path: 'bundle', isDir: true }]);
      const plots = await client.artifacts.list(runId, 'bundle/plots');
      expect(plots).toEqual(
        expect.arrayContaining([
          { path: 'bundle/plots/loss.svg', isDir: false, fileSize: 6 },
          { path: 'bundle/plots/deep', isDir: true },
        ]),
      );

      const target = join(work, unique('download'));
      const downloaded = await client.artifacts.downloadDir(runId, 'bundle', target);
      expect(downloaded.map((p) => relative(target, p).split('\\').join('/')).sort()).toEqual(
        Object.keys(files).sort(),
      );
      for (const [path, bytes] of Object.entries(files)) {
        expect(readFileSync(join(target, path)).equals(bytes)).toBe(true);
      }
    });

    it('uploads a file and bytes, streams a large file both ways', async () => {
      const big = join(work, unique('big'));
      const content = randomBytes(24 * 1024 * 1024);
      writeFileSync(big, content);
      const path = await client.artifacts.uploadFile(runId, big, 'large');
      await client.artifacts.uploadBytes(runId, 'notes/readme.md', '# hello\n');
      const copy = join(work, unique('copy'));
      expect(await client.artifacts.download(runId, path, copy)).toBe(content.length);
      const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      expect(digest(readFileSync(copy))).toBe(digest(content));
      const note = join(work, unique('note'));
      await client.artifacts.download(runId, 'notes/readme.md', note);
      expect(readFileSync(note, 'utf8')).toBe('# hello\n');
    });

    it('refuses paths that climb out, before any request', async () => {
      for (const bad of ['../x', 'a/../../b', '/etc/passwd', 'a//b']) {
        expect((await failure(client.artifacts.uploadBytes(runId, bad, 'x'))).code).toBe(
          'INVALID_PARAMETER_VALUE',
        );
      }
      expect(await client.artifacts.list(runId, 'nothing-here')).toEqual([]);
    });

    it('reports a missing artifact and leaves no partial file', async () => {
      const dest = join(work, unique('missing'));
      const error = await failure(client.artifacts.download(runId, 'no/such/file.txt', dest));
      expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(() => readFileSync(dest)).toThrow();
    });
  });
});

describe('KeelClient without a server', () => {
  it('says how to start one', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const client = new KeelClient({ trackingUri: `http://127.0.0.1:${port}` });
    const error = await failure(client.experiments.search());
    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(error.message).toBe(
      `Cannot reach a Keel server at http://127.0.0.1:${port} (connection refused). ` +
        'Start one with `keel server` (or `npm run demo`), or point the tracking URI at a running server.',
    );
  });

  it('reads the tracking URI and credentials from a given environment', () => {
    const client = KeelClient.fromEnv({
      MLFLOW_TRACKING_URI: 'http://example.test:1234/',
      KEEL_TRACKING_URI: '',
    });
    expect(client.trackingUri).toBe('http://example.test:1234');
    expect(KeelClient.fromEnv({}).trackingUri).toBe('http://127.0.0.1:5000');
    expect(
      KeelClient.fromEnv({ KEEL_TRACKING_URI: 'http://a:1' }, { trackingUri: 'http://b:2' }).trackingUri,
    ).toBe('http://b:2');
  });
});
