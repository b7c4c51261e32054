import { startChild, type ChildServer } from '../support/child-server.js';
import { createRun, jsonCall, logTypicalRun } from '../support/keel-http.js';
import { failures, load } from '../support/load.js';
import { summarize } from '../support/stats.js';

export interface AuthOverheadResult {
  name: string;
  /** Median req/s over the rounds, auth off and on. */
  offPerSecond: number;
  onPerSecond: number;
  /** on / off: 1.0 means authentication and authorisation cost nothing measurable. */
  ratio: number;
  errors: number;
}

const adminUsername = 'bench-admin';
const adminPassword = 'bench-admin-password-0123';
const editorUsername = 'bench-editor';

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/**
 * An editor (a role, not an administrator: the permission check walks the role path) with an API
 * token, and a run with 20 params, 20 metrics and 10 tags that the editor created.
 */
async function seed(
  server: ChildServer,
  withAuth: boolean,
): Promise<{ runId: string; headers: Record<string, Record<string, string>> }> {
  const api = `${server.url}/api/keel/v1`;
  let bearer: Record<string, string> = {};
  let password: Record<string, string> = {};
  if (withAuth) {
    const admin = { authorization: basic(adminUsername, adminPassword) };
    const editorPassword = 'bench-editor-password-0123';
    await jsonCall(`${api}/users`, 'POST', { username: editorUsername, password: editorPassword }, admin);
    await jsonCall(`${api}/workspaces/default/roles`, 'PUT', { user: editorUsername, role: 'editor' }, admin);
    const { token } = await jsonCall<{ token: string }>(
      `${api}/tokens`,
      'POST',
      { name: 'bench', username: editorUsername },
      admin,
    );
    bearer = { authorization: `Bearer ${token}` };
    password = { authorization: basic(editorUsername, editorPassword) };
  }
  const { runId } = await createRun(server.url, 'bench-auth', bearer);
  await logTypicalRun(server.url, runId, bearer);
  return { runId, headers: { bearer, password } };
}

/**
 * Requests per second on `runs/get` and `runs/log-batch` (100 metrics) against two servers on fresh
 * databases, one without authentication and one with it (a Bearer token, and Basic with a password),
 * alternating rounds so that drift on a noisy machine hits both alike. Both get byte-identical
 * requests, credentials included.
 */
export async function benchAuthOverhead(
  makeUri: () => Promise<{ uri: string; drop(): Promise<void> }>,
  artifacts: string,
  seconds: number,
  rounds = 3,
  connections = 20,
): Promise<AuthOverheadResult[]> {
  const offDb = await makeUri();
  const onDb = await makeUri();
  const off = await startChild('server-main', [offDb.uri, `${artifacts}-off`]);
  const on = await startChild('server-main', [
    onDb.uri,
    `${artifacts}-on`,
    'auth',
    adminUsername,
    adminPassword,
  ]);
  try {
    const offSeed = await seed(off, false);
    const onSeed = await seed(on, true);
    let step = 1;
    const logBatchBody = (runId: string) =>
      JSON.stringify({
        run_id: runId,
        metrics: Array.from({ length: 100 }, (_, i) => ({
          key: `loss${i % 10}`,
          value: Math.random(),
          timestamp: Date.now(),
          step: step++,
        })),
      });
    const getRun = async (server: ChildServer, runId: string, headers: Record<string, string>) => {
      const r = await load({
        url: `${server.url}/api/2.0/mlflow/runs/get?run_id=${runId}`,
        connections,
        duration: seconds,
        headers,
      });
      return { rps: r.requests.average, errors: failures(r) };
    };
    const logBatch = async (server: ChildServer, runId: string, headers: Record<string, string>) => {
      const r = await load({
        url: `${server.url}/api/2.0/mlflow/runs/log-batch`,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: logBatchBody(runId) }),
          },
        ],
      });
      return { rps: r.requests.average, errors: failures(r) };
    };
    const cases = [
      { name: 'get-run, Bearer token', credential: 'bearer', run: getRun },
      { name: 'get-run, Basic username and password', credential: 'password', run: getRun },
      { name: 'log-batch (100 metrics), Bearer token', credential: 'bearer', run: logBatch },
    ] as const;

    const results: AuthOverheadResult[] = [];
    for (const benchCase of cases) {
      const offRates: number[] = [];
      const onRates: number[] = [];
      let errors = 0;
      for (let round = 0; round < rounds; round++) {
        // The same request bytes to both servers (the one without auth ignores the header): on two
        // cores the load generator shares the CPU, and longer requests would slow it, not Keel.
        const a = await benchCase.run(off, offSeed.runId, onSeed.headers[benchCase.credential]!);
        const b = await benchCase.run(on, onSeed.runId, onSeed.headers[benchCase.credential]!);
        offRates.push(a.rps);
        onRates.push(b.rps);
        errors += a.errors + b.errors;
      }
      const offPerSecond = summarize(offRates).median;
      const onPerSecond = summarize(onRates).median;
      results.push({
        name: benchCase.name,
        offPerSecond,
        onPerSecond,
        ratio: onPerSecond / offPerSecond,
        errors,
      });
    }
    return results;
  } finally {
    await Promise.all([off.stop(), on.stop()]);
    await Promise.all([offDb.drop(), onDb.drop()]);
  }
}
