import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelClient, KeelError } from '../../src/sdk/index.js';
import type { Run } from '../../src/sdk/index.js';
import { startTestServer } from '../support/server.js';
import type { TestServer } from '../support/server.js';
import { ensureBuilt, keelBin, repoRoot } from './built-keel.js';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

const work = mkdtempSync(join(tmpdir(), 'keel-cli-it-'));
const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Runs the built binary; asynchronously, because the test server answers from this process. */
function keel(args: string[], env: Record<string, string> = {}, cwd = work): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [keelBin, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: work, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the keel binary', () => {
  let server: TestServer;
  let client: KeelClient;
  let env: Record<string, string>;
  let experimentId: string;
  let runs: Run[];

  /** keel against the test server, with --json, parsed. */
  async function keelJson<T>(...args: string[]): Promise<T> {
    const result = await keel(['--json', ...args], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  beforeAll(async () => {
    await ensureBuilt();
    server = await startTestServer({ engine: 'sqlite' });
    client = new KeelClient({ trackingUri: server.url });
    env = { KEEL_TRACKING_URI: server.url };
    experimentId = await client.experiments.create(unique('cli'));
    runs = [];
    for (const [i, lr] of [0.1, 0.2, 0.1].entries()) {
      const run = await client.runs.create({ experimentId, runName: `run-${i}` });
      await client.runs.logBatch(run.info.runId, {
        params: { lr, model: 'logreg' },
        metrics: [{ key: 'score', value: i * 10, step: 1 }],
      });
      await client.runs.terminate(run.info.runId);
      runs.push(await client.runs.get(run.info.runId));
    }
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  describe('usage', () => {
    it('prints its version', async () => {
      const version = (
        JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
      ).version;
      expect(await keel(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    });

    it('exits 2 with help on stderr when run without a command', async () => {
      const result = await keel([]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Usage: keel');
    });

    it('exits 2 on an unknown command, an unknown option and a bad value', async () => {
      const unknown = await keel(['experimnts', 'list'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/^error: unknown command 'experimnts'/);
      expect((await keel(['runs', 'list', '--frobnicate'], env)).code).toBe(2);
      const bad = await keel(['runs', 'list', '--max-results', 'many'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("argument 'many' is invalid");
      expect(bad.stdout).toBe('');
    });
  });

  describe('experiments', () => {
    it('creates (with tags), lists, renames, deletes and restores', async () => {
      const name = unique('exp');
      const created = await keelJson<{ experimentId: string; name: string }>(
        'experiments',
        'create',
        name,
        '--tag',
        'team=ml',
        '--tag',
        'owner=ann',
      );
      expect(created.name).toBe(name);
      const stored = await client.experiments.get(created.experimentId);
      expect(Object.fromEntries(stored.tags.map((t) => [t.key, t.value]))).toEqual({
        team: 'ml',
        owner: 'ann',
      });

      const listed = await keelJson<{ experimentId: string; name: string }[]>('experiments', 'list');
      expect(listed.map((e) => e.name)).toContain(name);
      const table = await keel(['experiments', 'list'], env);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain('Name');
      expect(table.stdout).toContain(name);

      const renamed = unique('renamed');
      const rename = await keel(['experiments', 'rename', created.experimentId, renamed], env);
      expect(rename).toEqual({
        code: 0,
        stdout: `Renamed experiment ${created.experimentId} to '${renamed}'.\n`,
        stderr: '',
      });
      expect((await client.experiments.get(created.experimentId)).name).toBe(renamed);

      await keelJson('experiments', 'delete', created.experimentId);
      expect((await client.experiments.get(created.experimentId)).lifecycleStage).toBe('deleted');
      const deleted = await keelJson<{ experimentId: string }[]>('experiments', 'list', '--view', 'deleted');
      expect(deleted.map((e) => e.experimentId)).toContain(created.experimentId);
      await keelJson('experiments', 'restore', created.experimentId);
      expect((await client.experiments.get(created.experimentId)).lifecycleStage).toBe('active');
    });

    it('filters, orders and limits the list', async () => {
      const prefix = unique('sorted');
      for (const suffix of ['b', 'a', 'c']) await client.experiments.create(`${prefix}-${suffix}`);
      const listed = await keelJson<{ name: string }[]>(
        'experiments',
        'list',
        '--filter',
        `name LIKE '${prefix}-%'`,
        '--order-by',
        'name DESC',
        '--max-results',
        '2',
      );
      expect(listed.map((e) => e.name)).toEqual([`${prefix}-c`, `${prefix}-b`]);
    });

    it('fails with one error line and exit 1 on a duplicate name, changing nothing', async () => {
      const name = unique('dup');
      await client.experiments.create(name);
      const result = await keel(['experiments', 'create', name], env);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')[0]).toMatch(/^error: .*already exists/i);
      const all = await client.experiments.search({ filter: `name = '${name}'`, viewType: 'ALL' });
      expect(all.items).toHaveLength(1);
    });
  });

  describe('runs', () => {
    it('lists the runs of an experiment with filter, order and limit', async () => {
      const all = await keelJson<Run[]>('runs', 'list', '-e', experimentId);
      expect(all.map((r) => r.info.runId).sort()).toEqual(runs.map((r) => r.info.runId).sort());

      const ordered = await keelJson<Run[]>(
        'runs',
        'list',
        '--experiment-id',
        experimentId,
        '--filter',
        "params.lr = '0.1'",
        '--order-by',
        'metrics.score DESC',
      );
      expect(ordered.map((r) => r.info.runName)).toEqual(['run-2', 'run-0']);

      const limited = await keel(['runs', 'list', '-e', experimentId, '--max-results', '2'], env);
      expect(limited.code).toBe(0);
      expect(limited.stdout).toContain('Run ID');
      expect(limited.stdout).toContain('raise --max-results');
    });

    it('lists runs of every active experiment when none is named', async () => {
      const other = await client.experiments.create(unique('other'));
      const extra = await client.runs.create({ experimentId: other, runName: 'elsewhere' });
      const listed = await keelJson<Run[]>('runs', 'list', '--max-results', '1000');
      const ids = listed.map((r) => r.info.runId);
      expect(ids).toContain(extra.info.runId);
      expect(ids).toContain(runs[0]?.info.runId);
    });

    it('shows a run with params, latest metrics and tags', async () => {
      const run = runs[1] as Run;
      const shown = await keelJson<Run>('runs', 'show', run.info.runId);
      expect(shown.info.runId).toBe(run.info.runId);
      expect(shown.data.params).toEqual(expect.arrayContaining([{ key: 'lr', value: '0.2' }]));
      expect(shown.data.metrics[0]).toMatchObject({ key: 'score', value: 10, step: 1 });

      const table = await keel(['runs', 'show', run.info.runId], env);
      expect(table.code).toBe(0);
      for (const text of ['Params', 'Metrics (latest)', 'Tags', 'lr', '0.2', 'score', 'run-1', 'FINISHED']) {
        expect(table.stdout).toContain(text);
      }
    });

    it('compares runs side by side and marks the differences', async () => {
      const [a, b, c] = runs as [Run, Run, Run];
      const compared = await keelJson<{
        runs: { runId: string }[];
        rows: { key: string; values: unknown[]; differs: boolean }[];
      }>('runs', 'compare', a.info.runId, b.info.runId, c.info.runId);
      expect(compared.runs.map((r) => r.runId)).toEqual([a.info.runId, b.info.runId, c.info.runId]);
      const rows = Object.fromEntries(compared.rows.map((r) => [r.key, r]));
      expect(rows['params.lr']).toEqual({ key: 'params.lr', values: ['0.1', '0.2', '0.1'], differs: true });
      expect(rows['params.model']?.differs).toBe(false);
      expect(rows['metrics.score']).toEqual({ key: 'metrics.score', values: [0, 10, 20], differs: true });

      const table = await keel(['runs', 'compare', a.info.runId, b.info.runId, '--diff-only'], env);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain('* params.lr');
      expect(table.stdout).not.toContain('params.model');
    });

    it('deletes and restores a run', async () => {
      const run = await client.runs.create({ experimentId });
      expect(await keelJson('runs', 'delete', run.info.runId)).toEqual({
        runId: run.info.runId,
        lifecycleStage: 'deleted',
      });
      expect((await client.runs.get(run.info.runId)).info.lifecycleStage).toBe('deleted');
      const text = await keel(['runs', 'restore', run.info.runId], env);
      expect(text).toEqual({ code: 0, stdout: `Restored run ${run.info.runId}.\n`, stderr: '' });
      expect((await client.runs.get(run.info.runId)).info.lifecycleStage).toBe('active');
    });

    it('reports an unknown run on stderr with a hint and exit 1', async () => {
      const missing = 'f'.repeat(32);
      const result = await keel(['runs', 'show', missing], env);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^error: .*${missing}`));
      expect(lines[1]).toMatch(/^hint: /);
    });
  });

  describe('tracking URI resolution', () => {
    it('falls back to MLFLOW_TRACKING_URI, and --tracking-uri wins over both', async () => {
      const viaMlflow = await keel(['--json', 'runs', 'list', '-e', experimentId], {
        MLFLOW_TRACKING_URI: server.url,
      });
      expect(viaMlflow.code).toBe(0);
      expect(JSON.parse(viaMlflow.stdout).map((r: Run) => r.info.runId)).toEqual(
        expect.arrayContaining(runs.map((r) => r.info.runId)),
      );
      const port = await freePort();
      const viaFlag = await keel(['runs', 'list', '-e', experimentId, '--tracking-uri', server.url], {
        KEEL_TRACKING_URI: `http://127.0.0.1:${port}`,
      });
      expect(viaFlag.code).toBe(0);
    });

    it('says how to start a server when none answers', async () => {
      const port = await freePort();
      const result = await keel(['experiments', 'list'], { KEEL_TRACKING_URI: `http://127.0.0.1:${port}` });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain(`error: Cannot reach a Keel server at http://127.0.0.1:${port}`);
      expect(lines[1]).toContain('`keel server`');
      expect(lines[1]).toContain('npm run demo');
    });
  });

  describe('database and garbage collection', () => {
    it('upgrades a fresh database once, then reports it up to date', async () => {
      const uri = `sqlite:///${join(work, unique('fresh'))}.db`;
      const first = await keelJson<{ from: number; to: number }>('db', 'upgrade', '--backend-store-uri', uri);
      expect(first.from).toBe(0);
      expect(first.to).toBeGreaterThan(0);
      const again = await keel(['db', 'upgrade', '--backend-store-uri', uri]);
      expect(again).toEqual({
        code: 0,
        stdout: `Database schema is up to date (version ${first.to}).\n`,
        stderr: '',
      });
    });

    it('gc --dry-run lists deleted runs; gc removes them for good', async () => {
      const run = await client.runs.create({ experimentId });
      await client.artifacts.uploadBytes(run.info.runId, 'a.txt', 'bytes');
      await client.runs.delete(run.info.runId);
      const storeFlags = [
        '--backend-store-uri',
        server.backendStoreUri,
        '--artifacts-destination',
        server.artifactsDestination,
      ];
      const dry = await keelJson<{ dryRun: boolean; runIds: string[] }>(
        'gc',
        '--older-than',
        '0s',
        '--dry-run',
        ...storeFlags,
      );
      expect(dry.dryRun).toBe(true);
      expect(dry.runIds).toContain(run.info.runId);
      expect((await client.runs.get(run.info.runId)).info.lifecycleStage).toBe('deleted');

      const done = await keel(['gc', '--older-than', '0s', ...storeFlags]);
      expect(done.code).toBe(0);
      expect(done.stdout).toMatch(/^Deleted \d+ runs?, /);
      const error = await client.runs.get(run.info.runId).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KeelError);
      expect((error as KeelError).code).toBe('RESOURCE_DOES_NOT_EXIST');
    });

    it('rejects a malformed --older-than with exit 2', async () => {
      const result = await keel(['gc', '--older-than', 'yesterday']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('expected a duration like 30d');
    });
  });

  describe('server and demo', () => {
    it('keel server serves until SIGTERM, then exits 0', async () => {
      const port = await freePort();
      const dir = mkdtempSync(join(work, 'server-'));
      const child = spawn(
        process.execPath,
        [
          keelBin,
          'server',
          '--port',
          String(port),
          '--backend-store-uri',
          `sqlite:///${join(dir, 'k.db')}`,
          '--artifacts-destination',
          join(dir, 'artifacts'),
          '--log-level',
          'warn',
        ],
        { cwd: dir, env: { PATH: process.env.PATH ?? '' }, stdio: 'ignore' },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const url = `http://127.0.0.1:${port}`;
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (!ready) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(true);
      const listed = await keel(['--json', 'experiments', 'list', '--tracking-uri', url]);
      expect(JSON.parse(listed.stdout).map((e: { name: string }) => e.name)).toContain('Default');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    });

    it('keel demo --exit logs the sweep on the embedded defaults and stops', async () => {
      const dir = mkdtempSync(join(work, 'demo-'));
      const port = await freePort();
      const result = await keel(['demo', '--exit', '--port', String(port)], {}, dir);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('SYNTHETIC');
      expect(result.stdout).toMatch(/Best run: .+ \([0-9a-f]{32}\) val_f1=/);
      expect(result.stdout).toContain('Summary:');
      expect(existsSync(join(dir, 'keel-data'))).toBe(true);
    });
  });
});
