import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, keelBin } from './built-keel.js';

interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** The URL of the `Keel listening at` line. */
  listening(): Promise<string>;
  stop(): Promise<number | null>;
}

/** `keel server ...` from the built binary with a clean environment (plus `env`). */
function server(args: string[], cwd: string, env: Record<string, string> = {}): Spawned {
  const child = spawn(process.execPath, [keelBin, 'server', '--port', '0', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', KEEL_PASSWORD_COST: '10', ...env },
  });
  let output = '';
  const waiters: (() => void)[] = [];
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    child,
    output: () => output,
    exited,
    listening: () =>
      new Promise((resolveUrl, rejectUrl) => {
        const check = () => {
          const match = /Keel listening at (http:\/\/[\d.]+:\d+)/.exec(output);
          if (match) resolveUrl(match[1]!);
        };
        waiters.push(check);
        check();
        void exited.then((code) => rejectUrl(new Error(`keel exited (${code}) first.\n${output}`)));
      }),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'keel-safe-defaults-'));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keel server safe defaults', () => {
  it('refuses to listen on a non-loopback address without authentication, saying how to fix it', async () => {
    const cwd = mkdtempSync(join(dir, 'a-'));
    const refused = server(['--host', '0.0.0.0'], cwd);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toBe(
      'error: Refusing to listen on 0.0.0.0 without authentication. Start with --auth (and create an admin: ' +
        'keel users create-admin) or pass --insecure-no-auth if this network is trusted.\n',
    );
    // The same through the environment.
    const viaEnv = server([], cwd, { KEEL_HOST: '0.0.0.0' });
    expect(await viaEnv.exited).toBe(1);
    expect(viaEnv.output()).toMatch(/^error: Refusing to listen on 0\.0\.0\.0/);
    const contradictory = server(['--host', '0.0.0.0', '--auth', '--insecure-no-auth'], cwd);
    expect(await contradictory.exited).toBe(1);
    expect(contradictory.output()).toMatch(/contradict each other/);
  });

  it('serves without authentication on 0.0.0.0 when told --insecure-no-auth', async () => {
    const cwd = mkdtempSync(join(dir, 'b-'));
    const open = server(['--host', '0.0.0.0', '--insecure-no-auth'], cwd);
    try {
      const url = await open.listening();
      const answer = await fetch(`${url}/api/2.0/mlflow/experiments/get?experiment_id=0`);
      expect(answer.status).toBe(200);
    } finally {
      expect(await open.stop()).toBe(0);
    }
  });

  it('with --auth and no administrator it starts, refuses anonymous requests, and says how to make one', async () => {
    const cwd = mkdtempSync(join(dir, 'c-'));
    const secured = server(['--auth'], cwd);
    try {
      const url = await secured.listening();
      expect(secured.output()).toMatch(/no site administrator exists.*keel users create-admin/);
      const answer = await fetch(`${url}/api/2.0/mlflow/experiments/get?experiment_id=0`);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="keel", charset="UTF-8"');
    } finally {
      expect(await secured.stop()).toBe(0);
    }
  });

  it('creates the first administrator from the environment, once, and never logs the password', async () => {
    const cwd = mkdtempSync(join(dir, 'd-'));
    const env = {
      KEEL_ADMIN_USERNAME: 'boss',
      KEEL_ADMIN_PASSWORD: 'boss-password-0123',
      KEEL_LOG_LEVEL: 'debug',
    };
    const first = server(['--host', '0.0.0.0', '--auth'], cwd, env);
    try {
      const url = await first.listening();
      expect(first.output()).toContain("Created the site administrator 'boss'");
      const session = await fetch(`${url}/api/keel/v1/auth/session`, {
        headers: { authorization: basic('boss', 'boss-password-0123') },
      });
      expect(((await session.json()) as { user: { is_admin: boolean } }).user.is_admin).toBe(true);
      // Off loopback the session cookie is Secure.
      const login = await fetch(`${url}/api/keel/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'boss', password: 'boss-password-0123' }),
      });
      expect(login.headers.get('set-cookie')).toMatch(/; Secure$/);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(first.output()).not.toContain('boss-password-0123');

    const second = server(['--auth'], cwd, env);
    try {
      await second.listening();
      expect(second.output()).not.toContain('Created the site administrator');
    } finally {
      await second.stop();
    }
  });

  it('with several workers, the primary creates the administrator and every worker authenticates', async () => {
    const cwd = mkdtempSync(join(dir, 'e-'));
    const env = { KEEL_ADMIN_USERNAME: 'boss', KEEL_ADMIN_PASSWORD: 'boss-password-0123' };
    const workers = server(['--auth', '--workers', '2'], cwd, env);
    try {
      const url = await workers.listening();
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${url}/api/keel/v1/auth/session`, {
            headers: { authorization: basic('boss', 'boss-password-0123'), connection: 'close' },
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
      expect(workers.output().match(/Created the site administrator/g)).toHaveLength(1);
    } finally {
      expect(await workers.stop()).toBe(0);
    }
  });
});
