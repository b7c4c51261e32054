import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../src/backends/sql/index.js';
import {
  adminCredentials,
  basicAuth,
  KeelApi,
  startAuthServer,
  type AuthServer,
} from '../support/auth-fixture.js';
import { engines } from '../support/databases.js';
import { expectError, MlflowRest } from '../support/mlflow-rest.js';

/**
 * Bad credentials and attacks against a server with authentication on: guessing passwords, stale and
 * foreign tokens, a reader trying every write, injection through names, paths, filters and headers,
 * forged session cookies. Every refused request leaves the store and the audit trail unchanged.
 */
describe.each(engines)('authentication under attack on %s', (engine) => {
  let auth: AuthServer;
  let database: SqlDatabase;
  let experimentId: string;
  let runId: string;
  let readerRest: MlflowRest;

  /** Everything an attacker might change: the run, the experiment, and the audit trail's length. */
  async function snapshot(): Promise<string> {
    const run = await auth.adminRest.getRun(runId);
    const { experiment } = await auth.adminRest.getOk('/experiments/get', { experiment_id: experimentId });
    const experiments = await auth.adminRest.ok('/experiments/search', {
      max_results: 1000,
      view_type: 'ALL',
    });
    const events = await database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    const users = await database.db.selectFrom('users').select('username').orderBy('username').execute();
    return JSON.stringify({ run, experiment, experiments, events: Number(events.count), users });
  }

  beforeAll(async () => {
    auth = await startAuthServer(engine);
    database = openDatabase(auth.server.backendStoreUri);
    experimentId = await auth.adminRest.createExperiment('target');
    runId = (await auth.adminRest.createRun(experimentId)).info.run_id;
    await auth.adminRest.ok('/runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 0 }],
      params: [{ key: 'lr', value: '0.1' }],
    });
    readerRest = (await auth.user('reader', { role: 'reader' })).rest;
  });
  afterAll(async () => {
    await database?.close();
    await auth?.close();
  });

  test('wrong passwords are refused alike for known and unknown users, then throttled even with the right one', async () => {
    await auth.user('victim', { role: 'reader' });
    const before = await snapshot();
    const wrong = new MlflowRest(auth.server.url).withHeaders(basicAuth('victim', 'not-the-password'));
    const unknown = new MlflowRest(auth.server.url).withHeaders(basicAuth('nobody-here', 'not-the-password'));
    const a = await wrong.get('/runs/get', { run_id: runId });
    const b = await unknown.get('/runs/get', { run_id: runId });
    expectError(a, 401, 'UNAUTHENTICATED');
    expectError(b, 401, 'UNAUTHENTICATED');
    expect(a.body.message).toBe(b.body.message);
    for (let attempt = 2; attempt <= 10; attempt++)
      expect((await wrong.get('/runs/get', { run_id: runId })).status).toBe(401);
    const right = new MlflowRest(auth.server.url).withHeaders(basicAuth('victim', 'victim-password-0123'));
    const throttled = await right.get('/runs/get', { run_id: runId });
    expectError(throttled, 429, 'REQUEST_LIMIT_EXCEEDED');
    // The login endpoint shares the same count.
    const login = await new KeelApi(auth.server.url).send('POST', '/auth/login', {
      username: 'victim',
      password: 'victim-password-0123',
    });
    expectError(login, 429, 'REQUEST_LIMIT_EXCEEDED');
    // Another user is not locked out by the victim's attacker.
    expect((await readerRest.get('/runs/get', { run_id: runId })).status).toBe(200);
    expect(await snapshot()).toBe(before);
  });

  test('expired, revoked, forged and malformed tokens are refused with 401', async () => {
    const api = new KeelApi(auth.server.url, basicAuth('reader', 'reader-password-0123'));
    const expiring = await api.ok('POST', '/tokens', { name: 'soon expired', expires_in_days: 1 });
    const tokenId: string = expiring.token_id ?? expiring.id ?? expiring.info?.token_id;
    expect(typeof tokenId).toBe('string');
    await database.db
      .updateTable('api_tokens')
      .set({ expires_time: Date.now() - 1000 })
      .where('token_id', '=', tokenId)
      .execute();
    const expired = await new MlflowRest(auth.server.url)
      .withHeaders({ authorization: `Bearer ${expiring.token}` })
      .get('/runs/get', { run_id: runId });
    expectError(expired, 401, 'UNAUTHENTICATED', /expired/i);

    const revokedToken = await api.ok('POST', '/tokens', { name: 'to revoke' });
    const bearer = new MlflowRest(auth.server.url).withHeaders({
      authorization: `Bearer ${revokedToken.token}`,
    });
    expect((await bearer.get('/runs/get', { run_id: runId })).status).toBe(200);
    const revokedId: string = revokedToken.token_id ?? revokedToken.id ?? revokedToken.info?.token_id;
    await api.ok('DELETE', `/tokens/${revokedId}`);
    expectError(await bearer.get('/runs/get', { run_id: runId }), 401, 'UNAUTHENTICATED', /revoked/i);

    const [prefix, id] = [revokedToken.token.slice(0, 5), revokedToken.token.slice(5, 31)];
    const forged = `${prefix}${id}_${'A'.repeat(43)}`;
    for (const token of [forged, 'keel_nonsense', 'x'.repeat(300), `${revokedToken.token}x`]) {
      const answer = await new MlflowRest(auth.server.url)
        .withHeaders({ authorization: `Bearer ${token}` })
        .get('/runs/get', { run_id: runId });
      expectError(answer, 401, 'UNAUTHENTICATED');
    }
    for (const header of [
      'Basic',
      'Basic !!!',
      'Negotiate abc',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
    ]) {
      const answer = await new MlflowRest(auth.server.url)
        .withHeaders({ authorization: header })
        .get('/runs/get', {
          run_id: runId,
        });
      expectError(answer, 401, 'UNAUTHENTICATED');
    }
  });

  test('a token limited to another workspace sees nothing of this one', async () => {
    await auth.admin.ok('POST', '/workspaces', { name: 'elsewhere' });
    const { api } = await auth.user('two-places', { role: 'editor' });
    await auth.admin.ok('PUT', '/workspaces/elsewhere/roles', { user: 'two-places', role: 'editor' });
    const limited = await api.ok('POST', '/tokens', { name: 'elsewhere only', workspace: 'elsewhere' });
    const rest = new MlflowRest(auth.server.url).withHeaders({ authorization: `Bearer ${limited.token}` });
    const before = await snapshot();
    expectError(await rest.get('/runs/get', { run_id: runId }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(
      await rest.post('/runs/log-batch', {
        run_id: runId,
        metrics: [{ key: 'x', value: 1, timestamp: 1, step: 0 }],
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    const intoDefault = await rest.send('POST', '/experiments/create', {
      body: { name: 'smuggled' },
      headers: { 'x-keel-workspace': 'default' },
    });
    expect([403, 404]).toContain(intoDefault.status);
    expect(await snapshot()).toBe(before);
    // In its own workspace it works.
    const own = await rest.send('POST', '/experiments/create', {
      body: { name: 'at home' },
      headers: { 'x-keel-workspace': 'elsewhere' },
    });
    expect(own.status, own.text).toBe(200);
  });

  test('a reader trying every write endpoint changes nothing', async () => {
    const before = await snapshot();
    const writes: [string, unknown][] = [
      ['/experiments/create', { name: 'reader-made' }],
      ['/experiments/update', { experiment_id: experimentId, new_name: 'renamed' }],
      ['/experiments/delete', { experiment_id: experimentId }],
      ['/experiments/restore', { experiment_id: experimentId }],
      ['/experiments/set-experiment-tag', { experiment_id: experimentId, key: 'k', value: 'v' }],
      ['/experiments/delete-experiment-tag', { experiment_id: experimentId, key: 'k' }],
      ['/runs/create', { experiment_id: experimentId }],
      ['/runs/update', { run_id: runId, status: 'FAILED' }],
      ['/runs/delete', { run_id: runId }],
      ['/runs/restore', { run_id: runId }],
      ['/runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: 1, step: 0 }],
      ['/runs/log-parameter', { run_id: runId, key: 'p', value: 'v' }],
      ['/runs/set-tag', { run_id: runId, key: 't', value: 'v' }],
      ['/runs/delete-tag', { run_id: runId, key: 'mlflow.user' }],
      ['/runs/log-batch', { run_id: runId, metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }] }],
      ['/runs/log-inputs', { run_id: runId, datasets: [] }],
      ['/runs/log-model', { run_id: runId, model_json: '{}' }],
      ['/logged-models', { experiment_id: experimentId, name: 'm' }],
      [
        '/experiments/permissions/create',
        { experiment_id: experimentId, username: 'reader', permission: 'MANAGE' },
      ],
      ['/users/create', { username: 'reader-made', password: 'reader-made-password' }],
      ['/users/update-admin', { username: 'reader', is_admin: true }],
    ];
    for (const [path, body] of writes) {
      const answer = await readerRest.post(path, body);
      expect([403, 404, 405], `${path}: ${answer.text}`).toContain(answer.status);
      if (answer.status !== 405)
        expect(answer.body.error_code).toMatch(/PERMISSION_DENIED|RESOURCE_DOES_NOT_EXIST/);
    }
    const artifact = await fetch(
      `${auth.server.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/evil.txt`,
      { method: 'PUT', body: 'x', headers: basicAuth('reader', 'reader-password-0123') },
    );
    expect(artifact.status).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  test('names, paths, filters and headers built to inject are refused with 4xx and change nothing', async () => {
    const before = await snapshot();
    const statuses: number[] = [];
    const keel = auth.admin;
    statuses.push(
      (
        await keel.send('POST', '/users', {
          username: "x'; drop table users;--",
          password: 'long-enough-password',
        })
      ).status,
    );
    statuses.push((await keel.send('POST', '/workspaces', { name: '../etc' })).status);
    statuses.push((await keel.send('GET', '/users/..%2f..%2fetc%2fpasswd')).status);
    statuses.push(
      (await keel.send('PUT', `/permissions/experiment/1%20OR%201=1`, { user: 'reader', permission: 'READ' }))
        .status,
    );
    statuses.push(
      (await keel.send('PUT', `/permissions/secrets/1`, { user: 'reader', permission: 'READ' })).status,
    );
    statuses.push(
      (
        await keel.send('PUT', `/permissions/experiment/${experimentId}`, {
          user: 'reader',
          permission: 'GOD',
        })
      ).status,
    );
    statuses.push(
      (await keel.send('GET', `/audit?actor=${encodeURIComponent("' OR 1=1 --")}&since=yesterday`)).status,
    );
    statuses.push(
      (
        await auth.adminRest.send('GET', '/experiments/get-by-name?experiment_name=target', {
          headers: { 'x-keel-workspace': '../default' },
        })
      ).status,
    );
    statuses.push(
      (
        await readerRest.post('/runs/search', {
          experiment_ids: [experimentId],
          filter: "attributes.run_id = 'x' OR 1=1",
        })
      ).status,
    );
    const traversal = await fetch(
      `${auth.server.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/..%2F..%2F..%2Fkeel.db`,
      { headers: basicAuth(adminCredentials.username, adminCredentials.password) },
    );
    statuses.push(traversal.status);
    for (const status of statuses) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
    expect(await snapshot()).toBe(before);
  });

  test('oversized credentials are refused cleanly', async () => {
    const huge = await new MlflowRest(auth.server.url)
      .withHeaders({ authorization: `Bearer ${'a'.repeat(5000)}` })
      .get('/runs/get', { run_id: runId });
    expectError(huge, 401, 'UNAUTHENTICATED');
    const tooLarge = await fetch(`${auth.server.url}/api/2.0/mlflow/runs/get?run_id=${runId}`, {
      headers: { authorization: `Basic ${'a'.repeat(40_000)}` },
    });
    expect(tooLarge.status).toBe(431);
    // The server is still up.
    expect((await readerRest.get('/runs/get', { run_id: runId })).status).toBe(200);
  });

  test('session cookies: CSRF is required for writes, and a forged cookie is not a session', async () => {
    const anonymous = new KeelApi(auth.server.url);
    const login = await anonymous.send('POST', '/auth/login', {
      username: 'reader',
      password: 'reader-password-0123',
    });
    expect(login.status, login.text).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/keel_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    // The browser keeps the cookie until the session's absolute end (7 days); the server enforces
    // the idle limit itself, sliding it with use.
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)![1]!);
    expect(expires).toBeGreaterThan(Date.now() + 6.9 * 24 * 3600_000);
    expect(login.body.expires_time).toBeLessThan(Date.now() + 12.1 * 3600_000);
    expect(login.text).not.toMatch(/reader-password/);
    const cookie = setCookie.split(';')[0]!;
    const csrf: string = login.body.csrf_token;
    const viaCookie = new KeelApi(auth.server.url, { cookie });
    expect((await viaCookie.send('GET', '/auth/session')).status).toBe(200);
    const noCsrf = await viaCookie.send('POST', '/tokens', { name: 'from the browser' });
    expectError(noCsrf, 403, 'PERMISSION_DENIED', /CSRF/i);
    const badCsrf = await viaCookie.send(
      'POST',
      '/tokens',
      { name: 'from the browser' },
      { 'x-csrf-token': `${csrf}x` },
    );
    expectError(badCsrf, 403, 'PERMISSION_DENIED', /CSRF/i);
    const withCsrf = await viaCookie.send(
      'POST',
      '/tokens',
      { name: 'from the browser' },
      { 'x-csrf-token': csrf },
    );
    expect(withCsrf.status, withCsrf.text).toBe(200);

    const [name, value] = cookie.split('=') as [string, string];
    const forged = new KeelApi(auth.server.url, { cookie: `${name}=${value.slice(0, 27)}${'B'.repeat(43)}` });
    expectError(await forged.send('GET', '/auth/session'), 401, 'UNAUTHENTICATED');

    const logout = await viaCookie.send('POST', '/auth/logout', undefined, { 'x-csrf-token': csrf });
    expect(logout.status).toBeLessThan(300);
    expectError(await viaCookie.send('GET', '/auth/session'), 401, 'UNAUTHENTICATED');
  });

  test('refused requests leave no audit event; accepted changes leave exactly theirs', async () => {
    const count = async () =>
      Number(
        (
          await database.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<number>().as('count'))
            .executeTakeFirstOrThrow()
        ).count,
      );
    const before = await count();
    await readerRest.post('/runs/delete', { run_id: runId });
    expect(await count()).toBe(before);
    await auth.adminRest.ok('/experiments/update', {
      experiment_id: experimentId,
      new_name: 'target-renamed',
    });
    expect(await count()).toBe(before + 1);
    const events = await auth.admin.ok(
      'GET',
      `/audit?object_type=experiment&object_id=${experimentId}&action=experiment.rename`,
    );
    expect(events.events[0]).toMatchObject({
      action: 'experiment.rename',
      actor_name: adminCredentials.username,
      before: { name: 'target' },
      after: { name: 'target-renamed' },
    });
    await auth.adminRest.ok('/experiments/update', { experiment_id: experimentId, new_name: 'target' });
  });
});
