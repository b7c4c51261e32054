import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureBuilt, keelBin } from './built-keel.js';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

const work = mkdtempSync(join(tmpdir(), 'keel-auth-cli-'));
const configDir = join(work, 'config');
const credentialsPath = join(configDir, 'credentials.json');

/** Runs the built binary with `stdin` as its standard input (not a terminal) and a clean environment. */
function keel(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [keelBin, ...args], {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        KEEL_CONFIG_DIR: configDir,
        KEEL_PASSWORD_COST: '10',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/**
 * The identity commands through the real `keel` binary against a server with authentication on:
 * `users create-admin` on the database, `login` storing a token, administration commands using it,
 * `tokens`, `audit`, `logout`.
 */
describe('keel identity commands', () => {
  let server: TestServer;
  let env: Record<string, string>;

  /** keel with --json against the server, as the logged-in user; must succeed. */
  async function json<T = any>(...args: string[]): Promise<T> {
    const result = await keel(['--json', ...args], env);
    expect(result.stderr).toBe('');
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  beforeAll(async () => {
    await ensureBuilt();
    server = await startTestServer({ engine: 'sqlite', auth: {} });
    env = { KEEL_TRACKING_URI: server.url };
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('users create-admin works on the database directly, once, with the password from stdin', async () => {
    const store = ['--backend-store-uri', server.backendStoreUri];
    const created = await keel(
      ['users', 'create-admin', '--username', 'root', '--password-stdin', ...store],
      {},
      'root-password-0123\n',
    );
    expect(created).toEqual({ code: 0, stdout: "Created site administrator 'root'.\n", stderr: '' });
    const again = await keel(
      ['users', 'create-admin', '-u', 'root', '--password-stdin', ...store],
      {},
      'root-password-0123\n',
    );
    expect(again.stdout).toBe("'root' is already a site administrator; nothing changed.\n");
    const tooShort = await keel(
      ['users', 'create-admin', '-u', 'other', '--password-stdin', ...store],
      {},
      'short\n',
    );
    expect(tooShort.code).toBe(1);
    expect(tooShort.stderr).toMatch(/^error: The password must be at least 12 characters long\./);
    // Not a terminal and no --password-stdin: a usage error, not a hang.
    const noSource = await keel(['users', 'create-admin', '-u', 'other', ...store]);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('--password-stdin');
  });

  it('refuses commands without credentials, with a hint to log in', async () => {
    const result = await keel(['whoami'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: Authentication required/);
    expect(result.stderr).toContain('hint: sign in with `keel login`');
  });

  it('login with a wrong password stores nothing; with the right one stores a token in a 0600 file', async () => {
    const wrong = await keel(['login', '--username', 'root', '--password-stdin'], env, 'not-the-password\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: Invalid username or password/);
    expect(() => statSync(credentialsPath)).toThrow();

    const login = await keel(
      ['login', '-u', 'root', '--password-stdin', '--token-name', 'cli-test'],
      env,
      'root-password-0123\n',
    );
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(
      new RegExp(
        `^Logged in to ${server.url} as root\\. Token [0-9A-Z]{26} stored in ${credentialsPath}; it expires .* UTC\\.\\n$`,
      ),
    );
    expect(statSync(credentialsPath).mode & 0o777).toBe(0o600);
    expect(statSync(configDir).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(credentialsPath, 'utf8'));
    expect(stored.servers[server.url]).toEqual({
      token: expect.stringMatching(/^keel_/),
      tokenId: expect.any(String),
      username: 'root',
      expiresTime: expect.any(Number),
    });
    expect(login.stdout).not.toContain(stored.servers[server.url].token);

    const who = await json('whoami');
    expect(who).toMatchObject({
      trackingUri: server.url,
      authEnabled: true,
      via: 'token',
      user: { username: 'root', isAdmin: true },
    });
  });

  it('administers users, groups, workspaces, roles and permissions with the stored token', async () => {
    const created = await keel(
      ['users', 'create', 'ann', '--password-stdin', '--display-name', 'Ann'],
      env,
      'ann-password-0123\n',
    );
    expect(created).toEqual({ code: 0, stdout: "Created user 'ann'.\n", stderr: '' });
    expect((await json<{ username: string }[]>('users', 'list')).map((u) => u.username)).toEqual([
      'ann',
      'root',
    ]);
    expect(await json('users', 'show', 'ann')).toMatchObject({
      username: 'ann',
      displayName: 'Ann',
      isAdmin: false,
    });
    expect(await json('users', 'update', 'ann', '--display-name', 'Ann B.')).toMatchObject({
      displayName: 'Ann B.',
    });
    const table = await keel(['users', 'list'], env);
    expect(table.stdout).toMatch(/│ ann +│ Ann B\. +│ user +│/);

    await json('groups', 'create', 'ml', '--description', 'the ML team');
    await json('groups', 'add-member', 'ml', 'ann');
    expect((await json<{ username: string }[]>('groups', 'members', 'ml')).map((u) => u.username)).toEqual([
      'ann',
    ]);
    await json('workspaces', 'create', 'research');
    const granted = await keel(['roles', 'grant', 'editor', '--group', 'ml', '--workspace', 'research'], env);
    expect(granted.stdout).toBe("Granted editor in workspace 'research' to group 'ml'.\n");
    expect(await json('roles', 'list', '--workspace', 'research')).toEqual([
      {
        workspace: 'research',
        principal: { type: 'group', id: expect.any(String) },
        principalName: 'ml',
        role: 'editor',
      },
    ]);

    const ann = { ...env, MLFLOW_TRACKING_USERNAME: 'ann', MLFLOW_TRACKING_PASSWORD: 'ann-password-0123' };
    const annWorkspaces = await keel(['--json', 'workspaces', 'list'], ann);
    expect(JSON.parse(annWorkspaces.stdout).map((w: { name: string }) => w.name)).toEqual([
      'default',
      'research',
    ]);
    const experiment = await keel(
      ['--json', '--workspace', 'research', 'experiments', 'create', 'ann-exp'],
      ann,
    );
    expect(experiment.code, experiment.stderr).toBe(0);
    const experimentId = JSON.parse(experiment.stdout).experimentId as string;

    // Ann created it, so she manages it: she may grant others on it, but not administer users.
    await keel(['users', 'create', 'bob', '--password-stdin'], env, 'bob-password-0123\n');
    const grant = await keel(
      ['permissions', 'grant', 'experiment', experimentId, 'read', '--user', 'bob'],
      ann,
    );
    expect(grant.stdout).toBe(`Granted READ on experiment ${experimentId} to user 'bob'.\n`);
    const grants = await keel(['--json', 'permissions', 'list', 'experiment', experimentId], ann);
    expect(
      JSON.parse(grants.stdout).map((g: { principalName: string; permission: string }) => [
        g.principalName,
        g.permission,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['ann', 'MANAGE'],
        ['bob', 'READ'],
      ]),
    );
    const denied = await keel(['users', 'list'], ann);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^error: Permission denied: ann is not a site administrator\./);
    expect(denied.stderr).toContain('hint: check who you are with `keel whoami`');

    const revoke = await keel(['permissions', 'revoke', 'experiment', experimentId, '--user', 'bob'], ann);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect((await keel(['roles', 'revoke', '--group', 'ml', '--workspace', 'research'], env)).code).toBe(0);
    expect((await keel(['groups', 'remove-member', 'ml', 'ann'], env)).code).toBe(0);
    expect((await keel(['groups', 'delete', 'ml'], env)).code).toBe(0);
  });

  it('service accounts and tokens: created, listed, used through KEEL_TOKEN, revoked', async () => {
    await json('service-accounts', 'create', 'ci-bot');
    expect((await json<{ username: string }[]>('service-accounts', 'list')).map((u) => u.username)).toEqual([
      'ci-bot',
    ]);
    const created = await keel(
      ['tokens', 'create', '--name', 'ci', '--user', 'ci-bot', '--expires-in-days', '2'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(
      /^Created token 'ci' \([0-9A-Z]{26}\), expiring .* UTC\. Store it now: it is not shown again\.\n$/,
    );
    const token = created.stdout.trim();
    expect(token).toMatch(/^keel_[0-9A-Z]{26}_[\w-]{43}$/);

    // KEEL_TOKEN wins over the stored login.
    const asBot = await keel(['--json', 'whoami'], { ...env, KEEL_TOKEN: token });
    expect(JSON.parse(asBot.stdout).user.username).toBe('ci-bot');
    const listed = await json<{ tokenId: string; name: string }[]>('tokens', 'list', '--user', 'ci-bot');
    expect(listed.map((t) => t.name)).toEqual(['ci']);
    const tokenId = listed[0]!.tokenId;
    const table = await keel(['tokens', 'list', '--user', 'ci-bot'], env);
    expect(table.stdout).toMatch(new RegExp(`│ ${tokenId} │ ci +│ \\(any\\) +│ .* │ active +│`));
    expect(table.stdout).not.toContain(token);
    expect(await json('tokens', 'revoke', tokenId)).toEqual({ tokenId, revoked: true });
    const afterRevoke = await keel(['whoami'], { ...env, KEEL_TOKEN: token });
    expect(afterRevoke.code).toBe(1);
    expect(afterRevoke.stderr).toMatch(/revoked/);
    const bad = await keel(['tokens', 'create', '--name', 'x', '--expires-in-days', '400'], env);
    expect(bad.code).toBe(2);
  });

  it('audit shows what happened, filtered, as a table or JSON', async () => {
    const events = await json<{ action: string; actorName: string; objectType: string }[]>(
      'audit',
      '--action',
      'user.',
      '--limit',
      '50',
    );
    const actions = events.map((e) => e.action);
    expect(actions).toContain('user.create');
    expect(actions.every((a) => a.startsWith('user.'))).toBe(true);
    expect(events.find((e) => e.action === 'user.create' && e.actorName === 'system')).toBeDefined();
    const limited = await json<unknown[]>('audit', '--limit', '2');
    expect(limited).toHaveLength(2);
    const byActor = await json<{ actorName: string }[]>('audit', '--actor', 'ann', '--since', '1h');
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e) => e.actorName === 'ann')).toBe(true);
    expect(await json('audit', '--since', '2999-01-01')).toEqual([]);
    const table = await keel(['audit', '--object-type', 'workspace'], env);
    expect(table.stdout).toMatch(/│ root +│ workspace\.create +│ workspace research +│/);
    expect((await keel(['audit', '--since', 'last week'], env)).code).toBe(2);
  });

  it('login to a server without authentication says there is nothing to log in to', async () => {
    const open = await startTestServer({ engine: 'sqlite' });
    try {
      const result = await keel(
        ['login', '-u', 'root', '--password-stdin'],
        { KEEL_TRACKING_URI: open.url },
        'x\n',
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `error: ${open.url} does not require authentication: there is nothing to log in to.\n`,
      );
      const who = await keel(['whoami'], { KEEL_TRACKING_URI: open.url });
      expect(who.stdout).toContain('(authentication is off: everyone may do everything)');
    } finally {
      await open.close();
    }
  });

  it('logout revokes the stored token and forgets it', async () => {
    const stored = JSON.parse(readFileSync(credentialsPath, 'utf8')).servers[server.url];
    const logout = await keel(['logout'], env);
    expect(logout.stdout).toBe(
      `Logged out of ${server.url}: token ${stored.tokenId} revoked and removed from ${credentialsPath}.\n`,
    );
    expect(JSON.parse(readFileSync(credentialsPath, 'utf8')).servers).toEqual({});
    const revoked = await keel(['whoami'], { ...env, KEEL_TOKEN: stored.token });
    expect(revoked.stderr).toMatch(/revoked/);
    expect((await keel(['logout'], env)).stdout).toBe(`Not logged in to ${server.url}.\n`);
  });
});
