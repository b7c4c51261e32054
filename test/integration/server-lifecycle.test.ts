import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/backends/sql/index.js';
import { ensureBuilt, keelBin } from './built-keel.js';

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

/** Runs the real `keel` binary with a clean environment; collects its output. */
function keel(args: string[], cwd: string): Spawned {
  const child = spawn(process.execPath, [keelBin, ...args], { cwd, env: { PATH: process.env.PATH ?? '' } });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern) =>
      new Promise((resolveMatch, rejectMatch) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) resolveMatch(match);
        };
        waiters.push(check);
        check();
        void exited.then((code) => rejectMatch(new Error(`keel exited (${code}) first.\n${out}\n${err}`)));
      }),
  };
}

async function listening(server: Spawned): Promise<string> {
  const [, url] = await server.waitFor(/Keel listening at (http:\/\/[\d.]+:\d+)/);
  return url!;
}

let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'keel-lifecycle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keel server', () => {
  it('serves /health and /version, and logs one JSON line per request with its request id', async () => {
    const cwd = mkdtempSync(join(dir, 'a-'));
    const server = keel(['server', '--port', '0', '--log-level', 'info'], cwd);
    try {
      const url = await listening(server);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('OK');
      const version = await fetch(`${url}/version`, { headers: { 'x-request-id': 'trace-42' } });
      expect(await version.text()).toMatch(/^\d+\.\d+\.\d+/);
      expect(version.headers.get('x-request-id')).toBe('trace-42');
      const line = await server.waitFor(/^.*"reqId":"trace-42".*$/m);
      expect(JSON.parse(line[0])).toMatchObject({
        reqId: 'trace-42',
        url: '/version',
        status: 200,
        level: 30,
      });
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('creates the embedded defaults under ./keel-data with the Default experiment', async () => {
    const cwd = mkdtempSync(join(dir, 'b-'));
    const server = keel(['server', '--port', '0'], cwd);
    try {
      const url = await listening(server);
      const response = await fetch(`${url}/api/2.0/mlflow/experiments/get?experiment_id=0`);
      expect(await response.json()).toMatchObject({
        experiment: { experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0' },
      });
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    const database = openDatabase(`sqlite:///${join(cwd, 'keel-data', 'keel.db')}`);
    try {
      const rows = await database.db.selectFrom('experiments').select(['experiment_id', 'name']).execute();
      expect(rows).toEqual([{ experiment_id: 0, name: 'Default' }]);
    } finally {
      await database.close();
    }
  });

  it('finishes an in-flight request on SIGTERM, then exits 0 and refuses new connections', async () => {
    const cwd = mkdtempSync(join(dir, 'c-'));
    const server = keel(['server', '--port', '0'], cwd);
    const url = await listening(server);
    const created = await fetch(`${url}/api/2.0/mlflow/runs/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_id: '0' }),
    });
    const { run } = (await created.json()) as { run: { info: { run_id: string } } };
    const path = `/api/2.0/mlflow-artifacts/artifacts/0/${run.info.run_id}/artifacts/slow.txt`;
    const { port } = new URL(url);

    // An upload whose body arrives in two parts, with SIGTERM in between.
    const answer = new Promise<{ status: number; body: string }>((resolveAnswer, rejectAnswer) => {
      const req = request(
        { host: '127.0.0.1', port, path, method: 'PUT', headers: { 'content-length': 10 } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', rejectAnswer);
      req.write('hello');
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end('world'), 300);
      }, 200);
    });
    const result = await answer;
    expect(result.status).toBe(200);
    expect(await server.exited).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();

    // The upload was stored whole.
    const again = keel(['server', '--port', '0'], cwd);
    try {
      const url2 = await listening(again);
      const stored = await fetch(`${url2}${path}`);
      expect(await stored.text()).toBe('helloworld');
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });

  it('refuses to start on a database a newer Keel migrated, saying what to do', async () => {
    const cwd = mkdtempSync(join(dir, 'd-'));
    const uri = `sqlite:///${join(cwd, 'newer.db')}`;
    const database = openDatabase(uri);
    await migrate(database.db, database.caps);
    await database.db
      .insertInto('keel_migrations')
      .values({ version: 999, name: 'future', applied_at: 0 })
      .execute();
    await database.close();

    const server = keel(['server', '--port', '0', '--backend-store-uri', uri], cwd);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toMatch(/schema version 999, newer than this Keel understands/);
    expect(server.stderr()).toMatch(/Upgrade Keel/);
    expect(server.stderr()).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
  });

  it('serves from several worker processes sharing one port and one SQLite database', async () => {
    const cwd = mkdtempSync(join(dir, 'e-'));
    const server = keel(['server', '--port', '0', '--workers', '2'], cwd);
    try {
      const url = await listening(server);
      const names = Array.from({ length: 40 }, (_, i) => `w-${i}`);
      const ids = await Promise.all(
        names.map(async (name) => {
          const response = await fetch(`${url}/api/2.0/mlflow/experiments/create`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', connection: 'close' },
            body: JSON.stringify({ name }),
          });
          expect(response.status).toBe(200);
          return ((await response.json()) as { experiment_id: string }).experiment_id;
        }),
      );
      expect(new Set(ids).size).toBe(40);
      const pids = new Set([...server.stdout().matchAll(/"pid":(\d+)/g)].map((m) => m[1]));
      expect(pids.size).toBeGreaterThanOrEqual(2); // the primary and its workers log
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });
});

describe('keel db upgrade', () => {
  it('migrates a new database and reports the versions; a second run changes nothing', async () => {
    const cwd = mkdtempSync(join(dir, 'f-'));
    const uri = `sqlite:///${join(cwd, 'fresh.db')}`;
    const first = keel(['db', 'upgrade', '--backend-store-uri', uri], cwd);
    expect(await first.exited).toBe(0);
    expect(first.stdout()).toMatch(/from version 0 to [1-9]\d*\./);
    const second = keel(['db', 'upgrade', '--backend-store-uri', uri], cwd);
    expect(await second.exited).toBe(0);
    expect(second.stdout()).toMatch(/up to date/i);
  });
});
