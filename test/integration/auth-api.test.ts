import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { KeelClient, KeelError } from '../../src/sdk/index.js';
import {
  adminCredentials,
  basicAuth,
  KeelApi,
  startAuthServer,
  type AuthServer,
} from '../support/auth-fixture.js';
import { engines } from '../support/databases.js';
import { expectError, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Keel's own API (`/api/keel/v1`) through real HTTP on a server with authentication on: sessions
 * with their cookie and CSRF token, users, service accounts, groups, workspaces and roles, object
 * permissions, API tokens and the audit trail, with bad input and 401/403/404 answers; and the
 * SDK's typed methods for it.
 */
describe.each(engines)("Keel's API with authentication on %s", (engine) => {
  let auth: AuthServer;
  let anonymous: KeelApi;

  beforeAll(async () => {
    auth = await startAuthServer(engine);
    anonymous = new KeelApi(auth.server.url);
  });
  afterAll(async () => {
    await auth?.close();
  });

  describe('sessions', () => {
    test('login sets an HttpOnly, SameSite=Strict cookie and answers the user and a CSRF token', async () => {
      await auth.user('sam');
      const login = await anonymous.send('POST', '/auth/login', {
        username: 'sam',
        password: 'sam-password-0123',
      });
      expect(login.status, login.text).toBe(200);
      expect(login.headers.get('cache-control')).toBe('no-store');
      const setCookie = login.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(
        /^keel_session=[0-9A-Z]{26}\.[\w-]{43}; Path=\/; Expires=.+; HttpOnly; SameSite=Strict$/,
      );
      // The test server listens on loopback without TLS: no Secure, or browsers would drop it.
      expect(setCookie).not.toMatch(/Secure/);
      expect(login.body).toEqual({
        user: expect.objectContaining({ username: 'sam', kind: 'user', is_admin: false, disabled: false }),
        csrf_token: expect.stringMatching(/^[\w-]{43}$/),
        expires_time: expect.any(Number),
      });
      expect(login.body.expires_time).toBeGreaterThan(Date.now());
      expect(login.text).not.toMatch(/password|hash/i);

      const cookie = setCookie.split(';')[0]!;
      const browser = new KeelApi(auth.server.url, { cookie });
      const session = await browser.ok('GET', '/auth/session');
      expect(session).toMatchObject({
        auth_enabled: true,
        user: { username: 'sam' },
        via: 'session',
        workspace: 'default',
        csrf_token: login.body.csrf_token,
      });
      expect(session.workspaces.map((w: { name: string }) => w.name)).toEqual(['default']);

      // Reads need no CSRF token; changes do.
      expectError(await browser.send('POST', '/tokens', { name: 'x' }), 403, 'PERMISSION_DENIED', /CSRF/);
      const token = await browser.send(
        'POST',
        '/tokens',
        { name: 'x' },
        { 'x-csrf-token': login.body.csrf_token },
      );
      expect(token.status, token.text).toBe(200);

      const logout = await browser.send('POST', '/auth/logout', undefined, {
        'x-csrf-token': login.body.csrf_token,
      });
      expect(logout.status).toBe(200);
      expect(logout.headers.get('set-cookie')).toMatch(
        /^keel_session=; Path=\/; .*Max-Age=0; HttpOnly; SameSite=Strict$/,
      );
      expectError(await browser.send('GET', '/auth/session'), 401, 'UNAUTHENTICATED');
    });

    test('a wrong password and an unknown user get the same 401; a malformed body is 400', async () => {
      const wrong = await anonymous.send('POST', '/auth/login', {
        username: 'sam',
        password: 'not-sams-password',
      });
      const unknown = await anonymous.send('POST', '/auth/login', {
        username: 'nobody',
        password: 'whatever-1234',
      });
      expectError(wrong, 401, 'UNAUTHENTICATED');
      expectError(unknown, 401, 'UNAUTHENTICATED', wrong.body.message);
      // Keel's API is called by browser pages: no challenge that would pop up a password dialog.
      expect(wrong.headers.get('www-authenticate')).toBeNull();
      expect(wrong.headers.get('set-cookie')).toBeNull();
      expectError(
        await anonymous.send('POST', '/auth/login', { username: 'sam' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      expectError(
        await anonymous.send('POST', '/auth/login', { username: '', password: 'x' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    });

    test('every other route needs credentials: 401 UNAUTHENTICATED', async () => {
      for (const [method, path] of [
        ['GET', '/auth/session'],
        ['GET', '/users'],
        ['POST', '/users'],
        ['GET', '/workspaces'],
        ['GET', '/tokens'],
        ['GET', '/audit'],
        ['POST', '/auth/logout'],
      ] as const) {
        const answer = await anonymous.send(method, path, method === 'POST' ? {} : undefined);
        expectError(answer, 401, 'UNAUTHENTICATED');
      }
    });
  });

  describe('users and service accounts', () => {
    test('an administrator creates, lists, reads, updates and deletes users; no secret is ever answered', async () => {
      const created = await auth.admin.ok('POST', '/users', {
        username: 'ursula',
        password: 'ursula-password-0123',
        display_name: 'Ursula K.',
      });
      expect(created.user).toEqual({
        user_id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        username: 'ursula',
        display_name: 'Ursula K.',
        kind: 'user',
        is_admin: false,
        disabled: false,
        created_time: expect.any(Number),
        last_update_time: expect.any(Number),
      });
      expectError(
        await auth.admin.send('POST', '/users', { username: 'URSULA', password: 'another-password-0123' }),
        400,
        'RESOURCE_ALREADY_EXISTS',
      );
      expect((await auth.admin.ok('GET', '/users/ursula')).user.display_name).toBe('Ursula K.');
      const updated = await auth.admin.ok('PATCH', '/users/ursula', {
        display_name: 'Ursula',
        disabled: true,
      });
      expect(updated.user).toMatchObject({ display_name: 'Ursula', disabled: true });
      // A disabled user cannot sign in by any means.
      const ursula = new KeelApi(auth.server.url, basicAuth('ursula', 'ursula-password-0123'));
      expectError(await ursula.send('GET', '/auth/session'), 401, 'UNAUTHENTICATED');
      await auth.admin.ok('PATCH', '/users/ursula', { disabled: false });
      expect((await ursula.ok('GET', '/auth/session')).user.username).toBe('ursula');

      const first = await auth.admin.ok('GET', '/users?max_results=1');
      expect(first.users).toHaveLength(1);
      expect(typeof first.next_page_token).toBe('string');
      const second = await auth.admin.ok(
        'GET',
        `/users?max_results=1&page_token=${encodeURIComponent(first.next_page_token)}`,
      );
      expect(second.users[0].username).not.toBe(first.users[0].username);
      const all = await auth.admin.ok('GET', '/users?max_results=1000');
      expect(all.users.map((u: { username: string }) => u.username)).toContain('ursula');
      expect(JSON.stringify(all)).not.toMatch(/password|hash|scrypt/i);

      expect(await auth.admin.ok('DELETE', '/users/ursula')).toEqual({});
      expectError(
        await auth.admin.send('GET', '/users/ursula'),
        404,
        'RESOURCE_DOES_NOT_EXIST',
        "User 'ursula' not found",
      );
      expectError(await ursula.send('GET', '/auth/session'), 401, 'UNAUTHENTICATED');
    });

    test('bad input is 400 with a message naming the field', async () => {
      const cases: [unknown, RegExp][] = [
        [{ username: 'short', password: 'too-short' }, /at least 12 characters/],
        [{ username: 'has space', password: 'long-enough-password' }, /Invalid username/],
        [{ username: 'no-password' }, /password/],
        [{ username: 'flag', password: 'long-enough-password', is_admin: 'yes' }, /is_admin/],
        [{ password: 'long-enough-password' }, /username/],
      ];
      for (const [body, message] of cases) {
        expectError(await auth.admin.send('POST', '/users', body), 400, 'INVALID_PARAMETER_VALUE', message);
      }
      expectError(await auth.admin.send('GET', '/users?max_results=0'), 400, 'INVALID_PARAMETER_VALUE');
      expectError(
        await auth.admin.send('PATCH', '/users/root-admin', { disabled: 'no' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      const malformed = await fetch(`${auth.server.url}/api/keel/v1/users`, {
        method: 'POST',
        headers: { ...auth.admin.headers, 'content-type': 'application/json' },
        body: '{"username":',
      });
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { error_code: string }).error_code).toBe('MALFORMED_REQUEST');
    });

    test('a user reads and renames themself and changes their own password with the current one', async () => {
      const { api, password } = await auth.user('petra');
      expect((await api.ok('GET', '/users/petra')).user.username).toBe('petra');
      expect((await api.ok('PATCH', '/users/petra', { display_name: 'Petra P.' })).user.display_name).toBe(
        'Petra P.',
      );
      expectError(await api.send('GET', '/users/root-admin'), 403, 'PERMISSION_DENIED');
      expectError(await api.send('GET', '/users'), 403, 'PERMISSION_DENIED');
      expectError(await api.send('PATCH', '/users/petra', { is_admin: true }), 403, 'PERMISSION_DENIED');
      expectError(
        await api.send('POST', '/users/petra/password', { new_password: 'petra-new-password-0123' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /current password/,
      );
      expectError(
        await api.send('POST', '/users/petra/password', {
          new_password: 'petra-new-password-0123',
          current_password: 'not-the-current-one',
        }),
        403,
        'PERMISSION_DENIED',
      );
      await api.ok('POST', '/users/petra/password', {
        new_password: 'petra-new-password-0123',
        current_password: password,
      });
      // The old password stops working at once; the new one works.
      expectError(await api.send('GET', '/auth/session'), 401, 'UNAUTHENTICATED');
      const renewed = new KeelApi(auth.server.url, basicAuth('petra', 'petra-new-password-0123'));
      expect((await renewed.ok('GET', '/auth/session')).user.display_name).toBe('Petra P.');
      // An administrator sets anyone's password without the current one.
      await auth.admin.ok('POST', '/users/petra/password', { new_password: 'petra-third-password-0123' });
      expectError(await renewed.send('GET', '/auth/session'), 401, 'UNAUTHENTICATED');
    });

    test('the last administrator can be neither deleted, demoted nor disabled', async () => {
      for (const [method, path, body] of [
        ['DELETE', `/users/${adminCredentials.username}`, undefined],
        ['PATCH', `/users/${adminCredentials.username}`, { is_admin: false }],
        ['PATCH', `/users/${adminCredentials.username}`, { disabled: true }],
      ] as const) {
        expectError(
          await auth.admin.send(method, path, body),
          400,
          'INVALID_STATE',
          /last active site administrator/,
        );
      }
    });

    test('service accounts have no password and sign in with tokens an administrator gives them', async () => {
      const created = await auth.admin.ok('POST', '/service-accounts', {
        username: 'ci-bot',
        display_name: 'CI',
      });
      expect(created.user).toMatchObject({ username: 'ci-bot', kind: 'service_account' });
      const listed = await auth.admin.ok('GET', '/service-accounts');
      expect(listed.service_accounts.map((u: { username: string }) => u.username)).toEqual(['ci-bot']);
      const { token } = await auth.admin.ok('POST', '/tokens', { name: 'ci', username: 'ci-bot' });
      const bot = new KeelApi(auth.server.url, { authorization: `Bearer ${token}` });
      expect(await bot.ok('GET', '/auth/session')).toMatchObject({
        user: { username: 'ci-bot' },
        via: 'token',
      });
      // It cannot mint tokens for itself; only administrators manage a service account's tokens.
      expectError(await bot.send('POST', '/tokens', { name: 'more' }), 403, 'PERMISSION_DENIED');
      expectError(
        await anonymous.send('POST', '/auth/login', { username: 'ci-bot', password: 'anything-at-all' }),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  describe('groups, workspaces and roles', () => {
    test('a group role reaches its members; membership changes apply at once', async () => {
      const { rest, api } = await auth.user('gina');
      expectError(await rest.post('/experiments/create', { name: 'gina-1' }), 404, 'RESOURCE_DOES_NOT_EXIST');
      expect(
        (await auth.admin.ok('POST', '/groups', { name: 'analysts', description: 'the analysts' })).group,
      ).toMatchObject({
        name: 'analysts',
        description: 'the analysts',
      });
      expectError(
        await auth.admin.send('POST', '/groups', { name: 'analysts' }),
        400,
        'RESOURCE_ALREADY_EXISTS',
      );
      expectError(
        await auth.admin.send('POST', '/groups', { name: 'bad name!' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      await auth.admin.ok('POST', '/groups/analysts/members', { username: 'gina' });
      await auth.admin.ok('PUT', '/workspaces/default/roles', { group: 'analysts', role: 'editor' });
      expect((await rest.post('/experiments/create', { name: 'gina-1' })).status).toBe(200);
      const members = await auth.admin.ok('GET', '/groups/analysts/members');
      expect(members.members.map((u: { username: string }) => u.username)).toEqual(['gina']);
      const roles = await auth.admin.ok('GET', '/workspaces/default/roles');
      expect(roles.roles).toContainEqual({
        workspace: 'default',
        principal_type: 'group',
        principal_id: expect.any(String),
        principal_name: 'analysts',
        role: 'editor',
      });
      expect((await api.ok('GET', '/auth/session')).roles).toEqual([
        { workspace: 'default', role: 'editor' },
      ]);

      await auth.admin.ok('DELETE', '/groups/analysts/members/gina');
      expectError(await rest.post('/experiments/create', { name: 'gina-2' }), 404, 'RESOURCE_DOES_NOT_EXIST');
      expectError(
        await auth.admin.send('DELETE', '/groups/analysts/members/gina'),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expect((await auth.admin.ok('GET', '/groups')).groups.map((g: { name: string }) => g.name)).toContain(
        'analysts',
      );
      await auth.admin.ok('DELETE', '/groups/analysts');
      expectError(await auth.admin.send('GET', '/groups/analysts/members'), 404, 'RESOURCE_DOES_NOT_EXIST');
      expectError(await api.send('GET', '/groups'), 403, 'PERMISSION_DENIED');
    });

    test('workspaces hold their own experiments; a user sees only the workspaces they belong to', async () => {
      const created = await auth.admin.ok('POST', '/workspaces', { name: 'vision', description: 'images' });
      expect(created.workspace).toEqual({
        name: 'vision',
        description: 'images',
        created_time: expect.any(Number),
      });
      expectError(
        await auth.admin.send('POST', '/workspaces', { name: 'Vision' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      expectError(
        await auth.admin.send('POST', '/workspaces', { name: 'vision' }),
        400,
        'RESOURCE_ALREADY_EXISTS',
      );

      const { rest, api } = await auth.user('wanda', { role: 'reader' });
      const inVision = rest.withHeaders({ 'x-keel-workspace': 'vision' });
      expect((await api.ok('GET', '/workspaces')).workspaces.map((w: { name: string }) => w.name)).toEqual([
        'default',
      ]);
      expectError(
        await inVision.get('/experiments/search'),
        404,
        'RESOURCE_DOES_NOT_EXIST',
        "Workspace 'vision' not found",
      );
      // Hidden and missing workspaces are answered alike.
      expectError(
        await rest.withHeaders({ 'x-keel-workspace': 'nowhere' }).get('/experiments/search'),
        404,
        'RESOURCE_DOES_NOT_EXIST',
        "Workspace 'nowhere' not found",
      );
      expectError(
        await rest.withHeaders({ 'x-keel-workspace': 'Not A Slug' }).get('/experiments/search'),
        400,
        'INVALID_PARAMETER_VALUE',
      );

      await auth.admin.ok('PUT', '/workspaces/vision/roles', { user: 'wanda', role: 'EDITOR' });
      expect((await api.ok('GET', '/workspaces')).workspaces.map((w: { name: string }) => w.name)).toEqual([
        'default',
        'vision',
      ]);
      const experimentId = (await inVision.ok('/experiments/create', { name: 'same-name' })).experiment_id;
      // Names are unique per workspace: the same name is free in default.
      const adminDefault = await auth.adminRest.ok('/experiments/create', { name: 'same-name' });
      expect(adminDefault.experiment_id).not.toBe(experimentId);
      const { experiment } = await inVision.getOk('/experiments/get-by-name', {
        experiment_name: 'same-name',
      });
      expect(experiment).toMatchObject({ experiment_id: experimentId, workspace: 'vision' });
      const defaultNames = (await rest.ok('/experiments/search', { max_results: 1000 })).experiments.map(
        (e: { name: string; experiment_id: string }) => e.experiment_id,
      );
      expect(defaultNames).not.toContain(experimentId);

      expectError(await auth.admin.send('DELETE', '/workspaces/vision'), 400, 'INVALID_STATE');
      expectError(await auth.admin.send('DELETE', '/workspaces/default'), 400, 'INVALID_STATE');
      expectError(await api.send('POST', '/workspaces', { name: 'mine' }), 403, 'PERMISSION_DENIED');
    });

    test('roles: bad input, revocation, and workspace admins managing their own workspace only', async () => {
      await auth.admin.ok('POST', '/workspaces', { name: 'audio' });
      const { api } = await auth.user('ada');
      await auth.admin.ok('PUT', '/workspaces/audio/roles', { user: 'ada', role: 'admin' });
      await auth.user('bo');
      // A workspace admin grants roles there, but not elsewhere.
      await api.ok('PUT', '/workspaces/audio/roles', { user: 'bo', role: 'reader' });
      expect(
        (await api.ok('GET', '/workspaces/audio/roles')).roles
          .map((r: { principal_name: string }) => r.principal_name)
          .sort(),
      ).toEqual(['ada', 'bo']);
      expectError(
        await api.send('PUT', '/workspaces/default/roles', { user: 'bo', role: 'admin' }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expect(await api.ok('DELETE', '/workspaces/audio/roles?user=bo')).toEqual({});
      expectError(
        await api.send('DELETE', '/workspaces/audio/roles?user=bo'),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );

      const bad: [unknown, RegExp][] = [
        [{ user: 'bo', role: 'owner' }, /Invalid role 'owner'/],
        [{ role: 'reader' }, /exactly one/],
        [{ user: 'bo', group: 'x', role: 'reader' }, /exactly one/],
      ];
      for (const [body, message] of bad)
        expectError(
          await auth.admin.send('PUT', '/workspaces/audio/roles', body),
          400,
          'INVALID_PARAMETER_VALUE',
          message,
        );
      expectError(
        await auth.admin.send('PUT', '/workspaces/audio/roles', { user: 'ghost', role: 'reader' }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expectError(
        await auth.admin.send('PUT', '/workspaces/nowhere/roles', { user: 'bo', role: 'reader' }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });

  describe('object permissions', () => {
    test('grant, list and revoke on an experiment; MANAGE is needed; bad input is 400', async () => {
      const experimentId = await auth.adminRest.createExperiment('permissions-target');
      const { rest } = await auth.user('pia');
      expectError(
        await rest.get('/experiments/get', { experiment_id: experimentId }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      await auth.admin.ok('PUT', `/permissions/experiment/${experimentId}`, {
        user: 'pia',
        permission: 'read',
      });
      expect((await rest.get('/experiments/get', { experiment_id: experimentId })).status).toBe(200);
      const listed = await auth.admin.ok('GET', `/permissions/experiment/${experimentId}`);
      expect(listed.permissions).toContainEqual({
        object_type: 'experiment',
        object_id: experimentId,
        principal_type: 'user',
        principal_id: expect.any(String),
        principal_name: 'pia',
        permission: 'READ',
      });
      // READ is not MANAGE: pia cannot see or change the grants.
      const pia = new KeelApi(auth.server.url, basicAuth('pia', 'pia-password-0123'));
      expectError(await pia.send('GET', `/permissions/experiment/${experimentId}`), 403, 'PERMISSION_DENIED');

      const bad: [string, unknown, number, string][] = [
        [
          `/permissions/model/${experimentId}`,
          { user: 'pia', permission: 'READ' },
          400,
          'INVALID_PARAMETER_VALUE',
        ],
        [
          `/permissions/experiment/${experimentId}`,
          { user: 'pia', permission: 'OWN' },
          400,
          'INVALID_PARAMETER_VALUE',
        ],
        [`/permissions/experiment/${experimentId}`, { permission: 'READ' }, 400, 'INVALID_PARAMETER_VALUE'],
        [
          '/permissions/experiment/424242',
          { user: 'pia', permission: 'READ' },
          404,
          'RESOURCE_DOES_NOT_EXIST',
        ],
      ];
      for (const [path, body, status, code] of bad)
        expectError(await auth.admin.send('PUT', path, body), status, code);

      await auth.admin.ok('DELETE', `/permissions/experiment/${experimentId}?user=pia`);
      expectError(
        await rest.get('/experiments/get', { experiment_id: experimentId }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expectError(
        await auth.admin.send('DELETE', `/permissions/experiment/${experimentId}?user=pia`),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });

  describe('API tokens', () => {
    test('shown once, usable as Bearer and as a Basic password, listed without the secret, revocable', async () => {
      const { api } = await auth.user('tom');
      const created = await api.ok('POST', '/tokens', { name: 'laptop', expires_in_days: 7 });
      expect(created).toEqual({
        token: expect.stringMatching(/^keel_[0-9A-Z]{26}_[\w-]{43}$/),
        token_id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        user_id: expect.any(String),
        name: 'laptop',
        workspace: null,
        created_time: expect.any(Number),
        expires_time: expect.any(Number),
        last_used_time: null,
        revoked_time: null,
      });
      expect(Math.abs(created.expires_time - created.created_time - 7 * 86_400_000)).toBeLessThan(1000);
      const bearer = new KeelApi(auth.server.url, { authorization: `Bearer ${created.token}` });
      expect(await bearer.ok('GET', '/auth/session')).toMatchObject({
        user: { username: 'tom' },
        via: 'token',
      });
      const asPassword = new KeelApi(auth.server.url, basicAuth('tom', created.token));
      expect((await asPassword.ok('GET', '/auth/session')).via).toBe('token');

      const listed = await api.ok('GET', '/tokens');
      expect(listed.tokens.map((t: { token_id: string }) => t.token_id)).toContain(created.token_id);
      expect(JSON.stringify(listed)).not.toContain(created.token.slice(32));
      // The last use is written beside the request, not before its answer: wait for it.
      await vi.waitFor(async () => {
        const { tokens } = await api.ok('GET', '/tokens');
        expect(
          tokens.find((t: { token_id: string }) => t.token_id === created.token_id).last_used_time,
        ).toEqual(expect.any(Number));
      });

      await api.ok('DELETE', `/tokens/${created.token_id}`);
      expectError(await bearer.send('GET', '/auth/session'), 401, 'UNAUTHENTICATED', /revoked/);
      expectError(await api.send('DELETE', `/tokens/${created.token_id}x`), 404, 'RESOURCE_DOES_NOT_EXIST');
    });

    test("limits: days 1 to 365, never-expiring and other users' tokens for administrators only", async () => {
      const { api } = await auth.user('tia');
      expectError(
        await api.send('POST', '/tokens', { name: 'x', expires_in_days: 0 }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      expectError(
        await api.send('POST', '/tokens', { name: 'x', expires_in_days: 366 }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      expectError(await api.send('POST', '/tokens', { name: '' }), 400, 'INVALID_PARAMETER_VALUE');
      expectError(
        await api.send('POST', '/tokens', { name: 'x', expires_in_days: null }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await api.send('POST', '/tokens', { name: 'x', username: 'tom' }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(await api.send('GET', '/tokens?username=tom'), 403, 'PERMISSION_DENIED');
      const forever = await auth.admin.ok('POST', '/tokens', {
        name: 'x',
        expires_in_days: null,
        username: 'tia',
      });
      expect(forever.expires_time).toBeNull();
      expect((await auth.admin.ok('GET', '/tokens?username=tia')).tokens).toHaveLength(1);
      // Another user's token is "not found" to a non-administrator.
      const other = await auth.admin.ok('POST', '/tokens', { name: 'admin own' });
      expectError(await api.send('DELETE', `/tokens/${other.token_id}`), 404, 'RESOURCE_DOES_NOT_EXIST');
    });

    test('a token limited to a workspace works there and nowhere else', async () => {
      await auth.admin.ok('POST', '/workspaces', { name: 'lab' });
      const { api } = await auth.user('lee', { role: 'editor' });
      await auth.admin.ok('PUT', '/workspaces/lab/roles', { user: 'lee', role: 'editor' });
      const limited = await api.ok('POST', '/tokens', { name: 'lab only', workspace: 'lab' });
      expect(limited.workspace).toBe('lab');
      const rest = new MlflowRest(auth.server.url).withHeaders({ authorization: `Bearer ${limited.token}` });
      // Without a header it works in its own workspace.
      expect((await rest.post('/experiments/create', { name: 'lab-exp' })).status).toBe(200);
      const session = await new KeelApi(auth.server.url, { authorization: `Bearer ${limited.token}` }).ok(
        'GET',
        '/auth/session',
      );
      expect(session).toMatchObject({ workspace: 'lab', roles: [{ workspace: 'lab', role: 'editor' }] });
      expectError(
        await rest.withHeaders({ 'x-keel-workspace': 'default' }).get('/experiments/search'),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expectError(
        await api.send('POST', '/tokens', { name: 'x', workspace: 'nowhere' }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });

  describe('the audit trail', () => {
    test('records identity changes with actor, request id and snapshots, never a secret', async () => {
      await auth.admin.send(
        'POST',
        '/users',
        { username: 'audited', password: 'audited-password-0123' },
        { 'x-request-id': 'audit-req-1' },
      );
      const page = await auth.admin.ok('GET', '/audit?object_type=user&action=user.create&max_results=1000');
      const event = page.events.find((e: { request_id: string }) => e.request_id === 'audit-req-1');
      expect(event).toMatchObject({
        event_id: expect.any(String),
        time: expect.any(Number),
        actor_name: adminCredentials.username,
        actor_id: expect.any(String),
        action: 'user.create',
        object_type: 'user',
        workspace: null,
        ip: expect.any(String),
        after: expect.objectContaining({ username: 'audited' }),
      });
      expect(JSON.stringify(page)).not.toMatch(/audited-password|scrypt|secret_hash|password_hash/);

      const grants = await auth.admin.ok('GET', '/audit?action=role.&max_results=1000');
      expect(grants.events.length).toBeGreaterThan(0);
      expect(grants.events.every((e: { action: string }) => e.action.startsWith('role.'))).toBe(true);
      const times = grants.events.map((e: { time: number }) => e.time);
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    test('pages, filters by actor and time, and is for administrators', async () => {
      const first = await auth.admin.ok('GET', '/audit?max_results=2');
      expect(first.events).toHaveLength(2);
      const second = await auth.admin.ok(
        'GET',
        `/audit?max_results=2&page_token=${encodeURIComponent(first.next_page_token)}`,
      );
      expect(Number(second.events[0].event_id)).toBeLessThan(Number(first.events[1].event_id));
      const future = await auth.admin.ok('GET', `/audit?since=${Date.now() + 3_600_000}`);
      expect(future.events).toEqual([]);
      const byActor = await auth.admin.ok('GET', '/audit?actor=nobody-at-all');
      expect(byActor.events).toEqual([]);

      const { api } = await auth.user('nosy', { role: 'reader' });
      expectError(await api.send('GET', '/audit'), 403, 'PERMISSION_DENIED');
      expectError(await api.send('GET', '/audit?workspace=default'), 403, 'PERMISSION_DENIED');
      expectError(await auth.admin.send('GET', '/audit?since=yesterday'), 400, 'INVALID_PARAMETER_VALUE');
      expectError(await auth.admin.send('GET', '/audit?max_results=5000'), 400, 'INVALID_PARAMETER_VALUE');
    });
  });

  test('headers over 16 KiB are refused with a JSON 431 and the server keeps serving', async () => {
    const answer = await fetch(`${auth.server.url}/api/keel/v1/auth/session`, {
      headers: { cookie: `keel_session=${'a'.repeat(20_000)}` },
    });
    expect(answer.status).toBe(431);
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    expect(await answer.json()).toEqual({
      error_code: 'BAD_REQUEST',
      message: expect.stringMatching(/16 KiB/),
    });
    expect((await auth.admin.ok('GET', '/auth/session')).user.username).toBe(adminCredentials.username);
  });

  test('the SDK speaks the API with a token or a password, in a workspace, and reports errors with their code', async () => {
    const admin = new KeelClient({ trackingUri: auth.server.url, ...adminCredentials });
    const user = await admin.users.create('sdk-user', 'sdk-user-password-0123', { displayName: 'SDK' });
    expect(user).toMatchObject({ username: 'sdk-user', displayName: 'SDK', kind: 'user', isAdmin: false });
    await admin.workspaces.create('sdk-space', { description: 'from the SDK' });
    await admin.roles.grant('sdk-space', { user: 'sdk-user' }, 'editor');
    expect((await admin.roles.list('sdk-space')).map((r) => [r.principalName, r.role])).toEqual([
      ['sdk-user', 'editor'],
    ]);
    await admin.groups.create('sdk-group');
    await admin.groups.addMember('sdk-group', 'sdk-user');
    expect((await admin.groups.members('sdk-group')).map((u) => u.username)).toEqual(['sdk-user']);
    const { token, info } = await admin.tokens.create('sdk', { username: 'sdk-user', expiresInDays: 3 });
    expect(info).toMatchObject({ name: 'sdk', workspace: null, revokedTime: null });

    const env = { KEEL_TRACKING_URI: auth.server.url, KEEL_TOKEN: token, KEEL_WORKSPACE: 'sdk-space' };
    const client = KeelClient.fromEnv(env);
    const who = await client.auth.whoami();
    expect(who).toMatchObject({
      authEnabled: true,
      user: { username: 'sdk-user' },
      via: 'token',
      workspace: 'sdk-space',
      roles: [{ workspace: 'sdk-space', role: 'editor' }],
    });
    const experimentId = await client.experiments.create('sdk-exp');
    expect((await client.experiments.get(experimentId)).workspace).toBe('sdk-space');
    await admin.permissions.grant('experiment', experimentId, { group: 'sdk-group' }, 'READ');
    expect(
      (await client.permissions.list('experiment', experimentId)).map((p) => [p.principalName, p.permission]),
    ).toEqual(expect.arrayContaining([['sdk-group', 'READ']]));
    const events = await admin.audit.query({ action: 'experiment.create', objectId: experimentId });
    expect(events.items).toEqual([
      expect.objectContaining({ actorName: 'sdk-user', workspace: 'sdk-space' }),
    ]);

    // MLflow's variables: a password, or a token as the password.
    const viaMlflowEnv = KeelClient.fromEnv({
      MLFLOW_TRACKING_URI: auth.server.url,
      MLFLOW_TRACKING_USERNAME: 'sdk-user',
      MLFLOW_TRACKING_PASSWORD: 'sdk-user-password-0123',
    });
    expect((await viaMlflowEnv.auth.whoami()).via).toBe('password');
    const tokenEnv = KeelClient.fromEnv({
      MLFLOW_TRACKING_URI: auth.server.url,
      MLFLOW_TRACKING_TOKEN: token,
    });
    expect((await tokenEnv.auth.whoami()).user?.username).toBe('sdk-user');

    const failure = await client.users.list().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KeelError);
    expect((failure as KeelError).code).toBe('PERMISSION_DENIED');
    expect((failure as KeelError).status).toBe(403);
    const none = await new KeelClient({ trackingUri: auth.server.url }).auth
      .whoami()
      .catch((error: unknown) => error);
    expect((none as KeelError).code).toBe('UNAUTHENTICATED');
    await admin.tokens.revoke(info.tokenId);
    expect(((await client.auth.whoami().catch((error: unknown) => error)) as KeelError).status).toBe(401);
    await admin.users.delete('sdk-user');
  });
});

describe("Keel's API with authentication off (loopback)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ engine: 'sqlite' });
  });
  afterAll(async () => {
    await server?.close();
  });

  test('everyone is the anonymous caller: the session says so, login has nothing to do', async () => {
    const api = new KeelApi(server.url);
    expect(await api.ok('GET', '/auth/session')).toEqual({
      auth_enabled: false,
      user: null,
      via: 'none',
      workspace: 'default',
      workspaces: [expect.objectContaining({ name: 'default' })],
      roles: [],
    });
    expectError(
      await api.send('POST', '/auth/login', { username: 'a', password: 'b' }),
      400,
      'INVALID_STATE',
    );
    // Administration works without credentials, and the trail names the actor anonymous.
    await api.ok('POST', '/workspaces', { name: 'open' });
    const events = await api.ok('GET', '/audit?action=workspace.create');
    expect(events.events[0]).toMatchObject({ actor_name: 'anonymous', actor_id: null, object_id: 'open' });
    // Credentials are ignored, even wrong ones.
    const ignored = new KeelApi(server.url, basicAuth('nobody', 'wrong'));
    expect((await ignored.ok('GET', '/auth/session')).user).toBeNull();
  });
});
