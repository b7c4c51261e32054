import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../src/backends/sql/index.js';
import { adminCredentials, basicAuth, startAuthServer, type AuthServer } from '../support/auth-fixture.js';
import { engines } from '../support/databases.js';
import { expectError, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * What a page of another site can make a browser send: an HTML form posting `text/plain` (which
 * MLflow's routes read as JSON, as MLflow does) with the Basic credentials the browser remembered
 * after the server's 401 challenge, or with nothing to a server without authentication. Such a
 * write is refused before authentication; the same request from the Keel UI (same origin) or from
 * a client that is not a browser goes through.
 */
const formBody = (experimentId: string) => JSON.stringify({ experiment_id: experimentId });

const crossSite: Record<string, Record<string, string>> = {
  'Sec-Fetch-Site: cross-site': { 'sec-fetch-site': 'cross-site' },
  'Sec-Fetch-Site: same-site': { 'sec-fetch-site': 'same-site' },
  'another Origin (no Sec-Fetch-Site)': { origin: 'https://attacker.example' },
  'Origin: null': { origin: 'null' },
};

describe.each(engines)('cross-site writes on %s', (engine) => {
  let auth: AuthServer;
  let database: SqlDatabase;
  let browser: MlflowRest;

  async function auditEvents(): Promise<number> {
    const row = await database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  beforeAll(async () => {
    auth = await startAuthServer(engine);
    database = openDatabase(auth.server.backendStoreUri);
    browser = new MlflowRest(auth.server.url).withHeaders(
      basicAuth(adminCredentials.username, adminCredentials.password),
    );
  });
  afterAll(async () => {
    await database?.close();
    await auth?.close();
  });

  test.each(Object.entries(crossSite))(
    'a form post with remembered Basic credentials is refused (%s)',
    async (label, headers) => {
      const experimentId = await auth.adminRest.createExperiment(`victim of ${label}`);
      const events = await auditEvents();
      const answer = await browser.send('POST', '/experiments/delete', {
        raw: formBody(experimentId),
        headers: { ...headers, 'content-type': 'text/plain' },
      });
      expectError(answer, 403, 'PERMISSION_DENIED', /^Cross-site request refused/);
      const { experiment } = await auth.adminRest.getOk('/experiments/get', { experiment_id: experimentId });
      expect(experiment.lifecycle_stage).toBe('active');
      expect(await auditEvents()).toBe(events);
    },
  );

  test('a refused cross-site post neither checks the password nor counts a failure', async () => {
    const before = await database.db.selectFrom('auth_throttle').selectAll().execute();
    const guess = new MlflowRest(auth.server.url).withHeaders(
      basicAuth(adminCredentials.username, 'a guess'),
    );
    const answer = await guess.send('POST', '/experiments/create', {
      raw: JSON.stringify({ name: 'never' }),
      headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
    });
    expectError(answer, 403, 'PERMISSION_DENIED');
    expect(await database.db.selectFrom('auth_throttle').selectAll().execute()).toEqual(before);
  });

  test('the same write from the same origin, or from a client that is not a browser, goes through', async () => {
    const host = new URL(auth.server.url).host;
    const sameSite: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin' },
      { origin: `http://${host}` },
      // MLflow's client, curl and the SDK send neither header.
      {},
    ];
    for (const headers of sameSite) {
      const experimentId = await auth.adminRest.createExperiment(`own-${JSON.stringify(headers)}`);
      const answer = await browser.send('POST', '/experiments/delete', {
        body: { experiment_id: experimentId },
        headers,
      });
      expect(answer.status, answer.text).toBe(200);
    }
  });

  test('reads are not refused: another site cannot see their answers anyway', async () => {
    const answer = await browser.send('GET', '/experiments/get?experiment_id=0', {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(answer.status, answer.text).toBe(200);
  });
});

describe('cross-site writes to a server without authentication', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  test('a page of another site cannot create or delete anything on a loopback server', async () => {
    const rest = new MlflowRest(server.url);
    const created = await rest.send('POST', '/experiments/create', {
      raw: JSON.stringify({ name: 'planted' }),
      headers: { 'content-type': 'text/plain', origin: 'https://attacker.example' },
    });
    expectError(created, 403, 'PERMISSION_DENIED');
    const found = await rest.get('/experiments/get-by-name', { experiment_name: 'planted' });
    expectError(found, 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});
