import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { basicAuth, KeelApi, startAuthServer, type AuthServer } from '../support/auth-fixture.js';
import { engines } from '../support/databases.js';
import { expectError, type MlflowRest, type RestAnswer } from '../support/mlflow-rest.js';

/**
 * For each kind of caller and each family of endpoints, the status MLflow's Python client would
 * get, on both engines: 401 without credentials, 404 (never 403) for what the caller may not read,
 * 403 for what it may read but not change, 200 otherwise. After every refused request the store is
 * checked to be unchanged.
 */
type Family = 'read' | 'write' | 'manage';
type Status = 200 | 401 | 403 | 404;

interface PrincipalCase {
  name: string;
  /** The status per family on an experiment of the default workspace. */
  expect: Record<Family, Status>;
  /** The status of creating an experiment in the default workspace (a workspace role). */
  create: Status;
}

const principals: PrincipalCase[] = [
  { name: 'anonymous', expect: { read: 401, write: 401, manage: 401 }, create: 401 },
  { name: 'outsider', expect: { read: 404, write: 404, manage: 404 }, create: 404 },
  { name: 'reader', expect: { read: 200, write: 403, manage: 403 }, create: 403 },
  { name: 'editor', expect: { read: 200, write: 200, manage: 403 }, create: 200 },
  { name: 'manager', expect: { read: 200, write: 200, manage: 200 }, create: 200 },
  { name: 'workspace-admin', expect: { read: 200, write: 200, manage: 200 }, create: 200 },
  { name: 'site-admin', expect: { read: 200, write: 200, manage: 200 }, create: 200 },
  { name: 'group-editor', expect: { read: 200, write: 200, manage: 403 }, create: 200 },
  // Object permissions narrow and widen the role.
  { name: 'grantee-read', expect: { read: 200, write: 403, manage: 403 }, create: 404 },
  { name: 'grantee-edit', expect: { read: 200, write: 200, manage: 403 }, create: 404 },
  { name: 'reader-denied', expect: { read: 404, write: 404, manage: 404 }, create: 403 },
  { name: 'reader-widened', expect: { read: 200, write: 200, manage: 200 }, create: 403 },
  { name: 'group-reader-denied-by-user-grant', expect: { read: 404, write: 404, manage: 404 }, create: 403 },
];

/** One request of a family, with what the store must still hold if it was refused. */
interface Check {
  family: Family;
  name: string;
  send(rest: MlflowRest, target: Target): Promise<RestAnswer>;
  /** Asserts, as the administrator, that a refused request changed nothing. */
  unchanged(admin: MlflowRest, target: Target): Promise<void>;
}

interface Target {
  experimentId: string;
  experimentName: string;
  runId: string;
}

const noChange = async () => {};

const checks: Check[] = [
  {
    family: 'read',
    name: 'runs/get',
    send: (rest, t) => rest.get('/runs/get', { run_id: t.runId }),
    unchanged: noChange,
  },
  {
    family: 'read',
    name: 'experiments/get',
    send: (rest, t) => rest.get('/experiments/get', { experiment_id: t.experimentId }),
    unchanged: noChange,
  },
  {
    family: 'read',
    name: 'experiments/get-by-name',
    send: (rest, t) => rest.get('/experiments/get-by-name', { experiment_name: t.experimentName }),
    unchanged: noChange,
  },
  {
    family: 'read',
    name: 'metrics/get-history',
    send: (rest, t) => rest.get('/metrics/get-history', { run_id: t.runId, metric_key: 'loss' }),
    unchanged: noChange,
  },
  {
    family: 'read',
    name: 'artifacts/list',
    send: (rest, t) => rest.get('/artifacts/list', { run_id: t.runId }),
    unchanged: noChange,
  },
  {
    family: 'write',
    name: 'runs/log-batch',
    send: (rest, t) =>
      rest.post('/runs/log-batch', {
        run_id: t.runId,
        metrics: [{ key: 'intruder', value: 1, timestamp: 1, step: 0 }],
        params: [{ key: 'intruder', value: 'x' }],
      }),
    unchanged: async (admin, t) => {
      const run = await admin.getRun(t.runId);
      expect(run.data.metrics?.some((m: { key: string }) => m.key === 'intruder') ?? false).toBe(false);
      expect(run.data.params?.some((p: { key: string }) => p.key === 'intruder') ?? false).toBe(false);
    },
  },
  {
    family: 'write',
    name: 'runs/set-tag',
    send: (rest, t) => rest.post('/runs/set-tag', { run_id: t.runId, key: 'intruder', value: 'x' }),
    unchanged: async (admin, t) => {
      const run = await admin.getRun(t.runId);
      expect(run.data.tags.some((tag: { key: string }) => tag.key === 'intruder')).toBe(false);
    },
  },
  {
    family: 'write',
    name: 'runs/update',
    send: (rest, t) => rest.post('/runs/update', { run_id: t.runId, status: 'KILLED' }),
    unchanged: async (admin, t) => {
      expect((await admin.getRun(t.runId)).info.status).toBe('RUNNING');
    },
  },
  {
    family: 'write',
    name: 'runs/create',
    send: (rest, t) => rest.post('/runs/create', { experiment_id: t.experimentId, start_time: 1 }),
    unchanged: async (admin, t) => {
      const body = await admin.ok('/runs/search', { experiment_ids: [t.experimentId] });
      expect(body.runs).toHaveLength(1);
    },
  },
  {
    family: 'write',
    name: 'experiments/set-experiment-tag',
    send: (rest, t) =>
      rest.post('/experiments/set-experiment-tag', {
        experiment_id: t.experimentId,
        key: 'intruder',
        value: 'x',
      }),
    unchanged: async (admin, t) => {
      const { experiment } = await admin.getOk('/experiments/get', { experiment_id: t.experimentId });
      expect((experiment.tags ?? []).some((tag: { key: string }) => tag.key === 'intruder')).toBe(false);
    },
  },
  {
    family: 'manage',
    name: 'runs/delete',
    send: (rest, t) => rest.post('/runs/delete', { run_id: t.runId }),
    unchanged: async (admin, t) => {
      expect((await admin.getRun(t.runId)).info.lifecycle_stage).toBe('active');
    },
  },
  {
    family: 'manage',
    name: 'experiments/delete',
    send: (rest, t) => rest.post('/experiments/delete', { experiment_id: t.experimentId }),
    unchanged: async (admin, t) => {
      const { experiment } = await admin.getOk('/experiments/get', { experiment_id: t.experimentId });
      expect(experiment.lifecycle_stage).toBe('active');
    },
  },
  {
    family: 'manage',
    name: 'experiments/permissions/create',
    send: (rest, t) =>
      rest.post('/experiments/permissions/create', {
        experiment_id: t.experimentId,
        username: 'bystander',
        permission: 'READ',
      }),
    unchanged: async (admin, t) => {
      const answer = await admin.get('/experiments/permissions/get', {
        experiment_id: t.experimentId,
        username: 'bystander',
      });
      expect(answer.status).toBe(404);
    },
  },
];

const errorCodes: Record<Exclude<Status, 200>, string> = {
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
};

describe.each(engines)('permission matrix on %s', (engine) => {
  let auth: AuthServer;
  const clients = new Map<string, MlflowRest>();
  let counter = 0;

  /** A fresh experiment with one run, with the object grants the principals above need. */
  async function freshTarget(): Promise<Target> {
    const experimentName = `matrix-${counter++}`;
    const experimentId = await auth.adminRest.createExperiment(experimentName);
    const run = await auth.adminRest.createRun(experimentId);
    await auth.adminRest.ok('/runs/log-metric', {
      run_id: run.info.run_id,
      key: 'loss',
      value: 1,
      timestamp: 1,
      step: 0,
    });
    const grant = (subject: { user?: string; group?: string }, permission: string) =>
      auth.admin.ok('PUT', `/permissions/experiment/${experimentId}`, { ...subject, permission });
    await grant({ user: 'grantee-read' }, 'READ');
    await grant({ user: 'grantee-edit' }, 'EDIT');
    await grant({ user: 'reader-denied' }, 'NO_PERMISSIONS');
    await grant({ user: 'reader-widened' }, 'MANAGE');
    await grant({ group: 'readers' }, 'READ');
    await grant({ user: 'group-reader-denied-by-user-grant' }, 'NO_PERMISSIONS');
    return { experimentId, experimentName, runId: run.info.run_id };
  }

  beforeAll(async () => {
    auth = await startAuthServer(engine);
    const roles: Record<string, string | undefined> = {
      outsider: undefined,
      reader: 'reader',
      editor: 'editor',
      manager: 'manager',
      'workspace-admin': 'admin',
      'group-editor': undefined,
      'grantee-read': undefined,
      'grantee-edit': undefined,
      'reader-denied': 'reader',
      'reader-widened': 'reader',
      'group-reader-denied-by-user-grant': undefined,
      bystander: undefined,
    };
    for (const [username, role] of Object.entries(roles)) {
      const { rest } = await auth.user(username, { role });
      clients.set(username, rest);
    }
    await auth.admin.ok('POST', '/groups', { name: 'editors' });
    await auth.admin.ok('POST', '/groups/editors/members', { username: 'group-editor' });
    await auth.admin.ok('PUT', '/workspaces/default/roles', { group: 'editors', role: 'editor' });
    await auth.admin.ok('POST', '/groups', { name: 'readers' });
    await auth.admin.ok('POST', '/groups/readers/members', { username: 'group-reader-denied-by-user-grant' });
    await auth.admin.ok('PUT', '/workspaces/default/roles', { group: 'readers', role: 'reader' });
    clients.set('anonymous', auth.anonymous);
    clients.set('site-admin', auth.adminRest);
  });
  afterAll(async () => {
    await auth?.close();
  });

  for (const principal of principals) {
    for (const check of checks) {
      const expected = principal.expect[check.family];
      test(`${principal.name} ${check.family} ${check.name} -> ${expected}`, async () => {
        const target = await freshTarget();
        const answer = await check.send(clients.get(principal.name)!, target);
        if (expected === 200) {
          expect(answer.status, answer.text).toBe(200);
          return;
        }
        expectError(answer, expected, errorCodes[expected]);
        if (expected === 401) expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm="keel"/);
        await check.unchanged(auth.adminRest, target);
      });
    }

    test(`${principal.name} experiments/create -> ${principal.create}`, async () => {
      const name = `created-by-${principal.name}`;
      const answer = await clients.get(principal.name)!.post('/experiments/create', { name });
      if (principal.create === 200) {
        expect(answer.status, answer.text).toBe(200);
        // The creator may manage what they created, whatever their role.
        const rest = clients.get(principal.name)!;
        expect(
          (await rest.post('/experiments/delete', { experiment_id: answer.body.experiment_id })).status,
        ).toBe(200);
        return;
      }
      expectError(answer, principal.create, errorCodes[principal.create]);
      const lookup = await auth.adminRest.get('/experiments/get-by-name', { experiment_name: name });
      expect(lookup.status).toBe(404);
    });
  }

  test('the 404 for an unreadable experiment says exactly what a missing one says', async () => {
    const target = await freshTarget();
    const outsider = clients.get('outsider')!;
    const hidden = await outsider.get('/experiments/get', { experiment_id: target.experimentId });
    const missing = await outsider.get('/experiments/get', { experiment_id: '987654321' });
    expect(hidden.body.message.replace(target.experimentId, 'ID')).toBe(
      missing.body.message.replace('987654321', 'ID'),
    );
    const hiddenRun = await outsider.get('/runs/get', { run_id: target.runId });
    const missingRun = await outsider.get('/runs/get', { run_id: 'f'.repeat(32) });
    expect(hiddenRun.body.message.replace(target.runId, 'ID')).toBe(
      missingRun.body.message.replace('f'.repeat(32), 'ID'),
    );
  });

  test('searches show only what the caller may read, without counts or names of the rest', async () => {
    const visible = await freshTarget();
    const hidden = await freshTarget();
    // reader-denied is a reader of the workspace, denied on `hidden` only... and on `visible` too by
    // freshTarget's grants; widen it back on `visible` for this test.
    await auth.admin.ok('PUT', `/permissions/experiment/${visible.experimentId}`, {
      user: 'reader-denied',
      permission: 'READ',
    });
    const rest = clients.get('reader-denied')!;
    const experiments = await rest.ok('/experiments/search', { max_results: 1000 });
    const names = (experiments.experiments ?? []).map((e: { name: string }) => e.name);
    expect(names).toContain(visible.experimentName);
    expect(names).not.toContain(hidden.experimentName);
    expect(JSON.stringify(experiments)).not.toContain(hidden.experimentName);

    const runs = await rest.ok('/runs/search', {
      experiment_ids: [visible.experimentId, hidden.experimentId],
    });
    const runIds = (runs.runs ?? []).map((r: { info: { run_id: string } }) => r.info.run_id);
    expect(runIds).toEqual([visible.runId]);

    // An outsider sees nothing at all, not even the Default experiment, with one result per page.
    const outsider = clients.get('outsider')!;
    const none = await outsider.ok('/experiments/search', { max_results: 1 });
    expect(none.experiments ?? []).toEqual([]);
    expect(none.next_page_token).toBeUndefined();
  });

  test('Keel API: a reader cannot grant permissions or roles, and nothing changes', async () => {
    const target = await freshTarget();
    const reader = new KeelApi(auth.server.url, basicAuth('reader', 'reader-password-0123'));
    const grant = await reader.send('PUT', `/permissions/experiment/${target.experimentId}`, {
      user: 'reader',
      permission: 'MANAGE',
    });
    expectError(grant, 403, 'PERMISSION_DENIED');
    const role = await reader.send('PUT', '/workspaces/default/roles', { user: 'reader', role: 'admin' });
    expectError(role, 403, 'PERMISSION_DENIED');
    const users = await reader.send('POST', '/users', {
      username: 'sneaky',
      password: 'sneaky-password-0123',
    });
    expectError(users, 403, 'PERMISSION_DENIED');
    const listing = await auth.admin.ok('GET', `/permissions/experiment/${target.experimentId}`);
    expect(JSON.stringify(listing)).not.toMatch(/"reader"[^}]*MANAGE/);
    expect((await auth.admin.send('GET', '/users/sneaky')).status).toBe(404);
  });
});
