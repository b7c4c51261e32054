import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { CliHost, CreateAdminFlags, DemoFlags, GcFlags, ServerFlags } from './cli-host.js';
import { runCli } from './program.js';

/** A host that records what the CLI asks of the app layer (the real wiring is tested through the binary). */
function recordingHost(
  env: Record<string, string | undefined> = {},
  terminal: { stdin?: string; answers?: string[] } = {},
) {
  const calls: {
    server: ServerFlags[];
    upgrade: unknown[];
    gc: GcFlags[];
    demo: DemoFlags[];
    admin: CreateAdminFlags[];
    prompts: string[];
  } = { server: [], upgrade: [], gc: [], demo: [], admin: [], prompts: [] };
  const answers = [...(terminal.answers ?? [])];
  let stdout = '';
  let stderr = '';
  const host: CliHost = {
    version: '9.9.9',
    env,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    startServer: async (flags) => void calls.server.push(flags),
    upgradeDatabase: async (flags) => {
      calls.upgrade.push(flags);
      return { from: 0, to: 1 };
    },
    collectGarbage: async (flags) => {
      calls.gc.push(flags);
      return { runIds: ['r1', 'r2'], experimentIds: [], blobsRemoved: 3 };
    },
    runDemo: async (flags) => void calls.demo.push(flags),
    createAdmin: async (flags) => {
      calls.admin.push(flags);
      return { username: flags.username, created: true };
    },
    readStdin: async () => terminal.stdin ?? '',
    // Without answers it is not a terminal.
    prompt: async (question) => {
      calls.prompts.push(question);
      return terminal.answers === undefined ? undefined : answers.shift();
    },
  };
  return { host, calls, out: () => stdout, err: () => stderr };
}

const run = (host: CliHost, ...args: string[]) => runCli(host, ['node', 'keel', ...args]);

describe('keel server', () => {
  it('passes only the flags given, with MLflow names, typed', async () => {
    const h = recordingHost();
    const code = await run(
      h.host,
      'server',
      '--host',
      '0.0.0.0',
      '--port',
      '5001',
      '--backend-store-uri',
      'postgresql://db/keel',
      '--no-serve-artifacts',
      '--workers',
      '2',
      '--log-level',
      'debug',
    );
    expect(code).toBe(0);
    expect(h.calls.server).toEqual([
      {
        host: '0.0.0.0',
        port: 5001,
        backendStoreUri: 'postgresql://db/keel',
        serveArtifacts: false,
        workers: 2,
        logLevel: 'debug',
      },
    ]);
  });

  it('leaves everything undefined when no flag is given', async () => {
    const h = recordingHost();
    expect(await run(h.host, 'server')).toBe(0);
    expect(h.calls.server).toEqual([{}]);
  });

  it('rejects a bad port as a usage error (exit 2) without starting', async () => {
    const h = recordingHost();
    expect(await run(h.host, 'server', '--port', 'http')).toBe(2);
    expect(h.err()).toMatch(/error: option '-p, --port <port>' argument 'http' is invalid/);
    expect(h.calls.server).toEqual([]);
  });
});

describe('keel server authentication flags', () => {
  it('passes --auth, --insecure-no-auth, --auth-cache-ttl and the hidden --password-cost', async () => {
    const h = recordingHost();
    expect(await run(h.host, 'server', '--auth', '--auth-cache-ttl', '0', '--password-cost', '10')).toBe(0);
    expect(await run(h.host, 'server', '--host', '0.0.0.0', '--insecure-no-auth')).toBe(0);
    expect(h.calls.server).toEqual([
      { auth: true, authCacheTtlMs: 0, passwordCost: 10 },
      { host: '0.0.0.0', insecureNoAuth: true },
    ]);
    expect(await run(h.host, 'server', '--password-cost', '30')).toBe(2);
    expect(await run(h.host, 'server', '--help')).toBe(0);
    expect(h.out()).toContain('--insecure-no-auth');
    expect(h.out()).not.toContain('--password-cost');
  });
});

describe('keel users create-admin', () => {
  it('reads the password from standard input with --password-stdin', async () => {
    const h = recordingHost({}, { stdin: 'a-long-enough-password\n' });
    expect(
      await run(
        h.host,
        'users',
        'create-admin',
        '--username',
        'root',
        '--password-stdin',
        '--backend-store-uri',
        'sqlite:///k.db',
      ),
    ).toBe(0);
    expect(h.calls.admin).toEqual([
      { username: 'root', password: 'a-long-enough-password', backendStoreUri: 'sqlite:///k.db' },
    ]);
    expect(h.out()).toBe("Created site administrator 'root'.\n");
  });

  it('asks twice on a terminal, and refuses two different answers', async () => {
    const same = recordingHost({}, { answers: ['pw-0123456789', 'pw-0123456789'] });
    expect(await run(same.host, 'users', 'create-admin', '-u', 'root')).toBe(0);
    expect(same.calls.prompts).toEqual(['Password: ', 'Repeat the password: ']);
    expect(same.calls.admin[0]?.password).toBe('pw-0123456789');
    const differ = recordingHost({}, { answers: ['pw-0123456789', 'pw-9876543210'] });
    expect(await run(differ.host, 'users', 'create-admin', '-u', 'root')).toBe(2);
    expect(differ.err()).toContain('the two passwords differ');
    expect(differ.calls.admin).toEqual([]);
  });

  it('is a usage error without a password source rather than a hang', async () => {
    const h = recordingHost();
    expect(await run(h.host, 'users', 'create-admin', '-u', 'root')).toBe(2);
    expect(h.err()).toContain('--password-stdin');
    expect(h.calls.admin).toEqual([]);
  });
});

describe('principal and time options', () => {
  it('refuse a grant naming no principal, or two, before any request', async () => {
    const h = recordingHost({ KEEL_TRACKING_URI: 'http://127.0.0.1:9' });
    expect(await run(h.host, 'roles', 'grant', 'editor')).toBe(2);
    expect(h.err()).toContain('exactly one of --user');
    expect(
      await run(h.host, 'permissions', 'grant', 'experiment', '1', 'READ', '--user', 'a', '--group', 'b'),
    ).toBe(2);
    expect(await run(h.host, 'audit', '--since', 'last tuesday')).toBe(2);
  });
});

describe('keel db upgrade and gc', () => {
  it('reports the schema versions, as text or JSON', async () => {
    const h = recordingHost();
    expect(await run(h.host, 'db', 'upgrade', '--backend-store-uri', 'sqlite:///x.db')).toBe(0);
    expect(h.out()).toBe('Database schema upgraded from version 0 to 1.\n');
    expect(h.calls.upgrade).toEqual([{ backendStoreUri: 'sqlite:///x.db' }]);
    const j = recordingHost();
    expect(await run(j.host, '--json', 'db', 'upgrade')).toBe(0);
    expect(JSON.parse(j.out())).toEqual({ from: 0, to: 1 });
    const after = recordingHost();
    expect(await run(after.host, 'db', 'upgrade', '--json')).toBe(0);
    expect(JSON.parse(after.out())).toEqual({ from: 0, to: 1 });
  });

  it('parses --older-than and reports what gc removed', async () => {
    const h = recordingHost();
    expect(await run(h.host, 'gc', '--older-than', '1d12h', '--dry-run')).toBe(0);
    expect(h.calls.gc).toEqual([{ olderThanMs: 36 * 3_600_000, dryRun: true }]);
    expect(h.out()).toContain('Would delete 2 runs, 0 experiments and 3 artifact files.');
  });

  it('requires --older-than and rejects a malformed duration', async () => {
    const h = recordingHost();
    expect(await run(h.host, 'gc')).toBe(2);
    expect(h.err()).toContain("required option '--older-than <duration>' not specified");
    expect(await run(h.host, 'gc', '--older-than', '3 weeks')).toBe(2);
    expect(h.calls.gc).toEqual([]);
  });
});

describe('keel demo', () => {
  it('passes --exit and --port', async () => {
    const h = recordingHost();
    expect(await run(h.host, 'demo', '--exit', '--port', '0')).toBe(0);
    expect(h.calls.demo).toEqual([{ exit: true, port: 0 }]);
  });
});

describe('usage and failures', () => {
  it('prints the version and help with exit code 0', async () => {
    const h = recordingHost();
    expect(await run(h.host, '--version')).toBe(0);
    expect(h.out()).toBe('9.9.9\n');
    expect(await run(h.host, 'runs', 'list', '--help')).toBe(0);
    expect(h.out()).toContain('--experiment-id');
  });

  it('exits 2 on an unknown command or option, and on a group without a subcommand', async () => {
    const h = recordingHost();
    expect(await run(h.host, 'experimentz')).toBe(2);
    expect(h.err()).toContain("error: unknown command 'experimentz'");
    expect(await run(h.host, 'runs', 'list', '--bogus')).toBe(2);
    expect(await run(h.host, 'experiments')).toBe(2);
    expect(await run(h.host, 'runs', 'compare', 'only-one')).toBe(2);
  });

  it('exits 2 on a tracking URI that is not HTTP', async () => {
    const h = recordingHost({ KEEL_TRACKING_URI: 'file:///tmp/mlruns' });
    expect(await run(h.host, 'experiments', 'list')).toBe(2);
    expect(h.err()).toContain('error: Unsupported tracking URI');
  });

  it('exits 1 with an error line and a hint when no server answers', async () => {
    const port = await freePort();
    const h = recordingHost({ MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}` });
    expect(await run(h.host, 'experiments', 'list')).toBe(1);
    const lines = h.err().trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^error: Cannot reach a Keel server at http://127.0.0.1:${port}`));
    expect(lines[1]).toContain('hint: start a server with `keel server`');
    expect(h.out()).toBe('');
  });

  it('prefers --tracking-uri over KEEL_TRACKING_URI over MLFLOW_TRACKING_URI', async () => {
    const [a, b, c] = [await freePort(), await freePort(), await freePort()];
    const env = { KEEL_TRACKING_URI: `http://127.0.0.1:${b}`, MLFLOW_TRACKING_URI: `http://127.0.0.1:${c}` };
    const h = recordingHost(env);
    await run(h.host, 'runs', 'show', 'x', '--tracking-uri', `http://127.0.0.1:${a}`);
    expect(h.err()).toContain(`:${a}`);
    const k = recordingHost(env);
    await run(k.host, 'runs', 'show', 'x');
    expect(k.err()).toContain(`:${b}`);
  });
});

/** A port with nothing listening on it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
