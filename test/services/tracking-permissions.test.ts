import { Readable } from 'node:stream';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { unauthenticatedCaller, type Caller, type Role } from '../../src/core/auth/index.js';
import { KeelError } from '../../src/core/errors.js';
import { engines } from '../support/databases.js';
import { expectKeelError, uniqueName } from '../contract/sql-store-fixture.js';
import { callerOf, newUser, newWorkspace, useServices, type Services } from './service-fixture.js';

type Outcome = 'ok' | 403 | 404;
type Family = 'read' | 'write' | 'manage';

interface Principal {
  name: string;
  role?: Role;
  group?: 'editors' | 'readers';
  /** The grant on every target experiment. */
  grant?: 'READ' | 'EDIT' | 'MANAGE' | 'NO_PERMISSIONS';
  expect: Record<Family, Outcome>;
  create: Outcome;
}

const principals: Principal[] = [
  { name: 'outsider', expect: { read: 404, write: 404, manage: 404 }, create: 404 },
  { name: 'reader', role: 'reader', expect: { read: 'ok', write: 403, manage: 403 }, create: 403 },
  { name: 'editor', role: 'editor', expect: { read: 'ok', write: 'ok', manage: 403 }, create: 'ok' },
  { name: 'manager', role: 'manager', expect: { read: 'ok', write: 'ok', manage: 'ok' }, create: 'ok' },
  { name: 'ws-admin', role: 'admin', expect: { read: 'ok', write: 'ok', manage: 'ok' }, create: 'ok' },
  { name: 'group-editor', group: 'editors', expect: { read: 'ok', write: 'ok', manage: 403 }, create: 'ok' },
  { name: 'grantee-read', grant: 'READ', expect: { read: 'ok', write: 403, manage: 403 }, create: 404 },
  { name: 'grantee-edit', grant: 'EDIT', expect: { read: 'ok', write: 'ok', manage: 403 }, create: 404 },
  {
    name: 'reader-denied',
    role: 'reader',
    grant: 'NO_PERMISSIONS',
    expect: { read: 404, write: 404, manage: 404 },
    create: 403,
  },
  {
    name: 'reader-widened',
    role: 'reader',
    grant: 'MANAGE',
    expect: { read: 'ok', write: 'ok', manage: 'ok' },
    create: 403,
  },
  {
    name: 'group-reader-denied',
    group: 'readers',
    grant: 'NO_PERMISSIONS',
    expect: { read: 404, write: 404, manage: 404 },
    create: 403,
  },
];

interface Target {
  experimentId: string;
  experimentName: string;
  runId: string;
  modelId: string;
}

async function outcome(promise: Promise<unknown>): Promise<Outcome> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (!(error instanceof KeelError)) throw error;
    if (error.code === 'PERMISSION_DENIED') return 403;
    if (error.code === 'RESOURCE_DOES_NOT_EXIST') return 404;
    throw error;
  }
}

/** Everything a refused request might have changed, as the administrator reads it. */
async function snapshot(s: Services, target: Target): Promise<string> {
  const read = (promise: Promise<unknown>) => promise.catch((error: unknown) => String(error));
  const run = await read(s.tracking.getRun(s.admin, target.runId));
  const experiment = await read(s.tracking.getExperiment(s.admin, target.experimentId));
  const runs = await s.tracking.searchRuns(s.admin, {
    experimentIds: [target.experimentId],
    runViewType: 'ALL',
  });
  const model = await read(s.tracking.getLoggedModel(s.admin, target.modelId));
  const events = await s.audit.query(s.admin, { maxResults: 1000 });
  return JSON.stringify({ run, experiment, runs: runs.items.length, model, events: events.items.length });
}

describe.each(engines)('tracking permissions on %s', (engine) => {
  const s = useServices(engine, 'svc_tracking');
  const callers = new Map<string, Caller>();
  const groups = { editors: '', readers: '' };

  beforeAll(async () => {
    groups.editors = uniqueName('editors');
    groups.readers = uniqueName('readers');
    await s.identity.createGroup(s.admin, { name: groups.editors });
    await s.identity.createGroup(s.admin, { name: groups.readers });
    await s.identity.grantRole(s.admin, 'default', { group: groups.editors }, 'editor');
    await s.identity.grantRole(s.admin, 'default', { group: groups.readers }, 'reader');
    for (const principal of principals) {
      const user = await newUser(s, { role: principal.role, prefix: principal.name });
      if (principal.group) await s.identity.addGroupMember(s.admin, groups[principal.group], user.username);
      callers.set(principal.name, callerOf(user));
    }
  });

  /** A fresh experiment with a run (one metric) and a logged model, with the principals' grants. */
  async function freshTarget(): Promise<Target> {
    const experimentName = uniqueName('target');
    const experimentId = await s.tracking.createExperiment(s.admin, { name: experimentName });
    const run = await s.tracking.createRun(s.admin, { experimentId });
    await s.tracking.logMetric(s.admin, run.info.runId, { key: 'loss', value: 1, timestamp: 1, step: 0 });
    const model = await s.tracking.createLoggedModel(s.admin, { experimentId, name: 'model' });
    for (const principal of principals) {
      if (principal.grant === undefined) continue;
      await s.identity.setPermission(
        s.admin,
        { type: 'experiment', id: experimentId },
        { user: callers.get(principal.name)!.user!.username },
        principal.grant,
      );
    }
    return { experimentId, experimentName, runId: run.info.runId, modelId: model.modelId };
  }

  const reads: [string, (c: Caller, t: Target) => Promise<unknown>][] = [
    ['getRun', (c, t) => s.tracking.getRun(c, t.runId)],
    ['getExperiment', (c, t) => s.tracking.getExperiment(c, t.experimentId)],
    ['getExperimentByName', (c, t) => s.tracking.getExperimentByName(c, t.experimentName)],
    ['getLoggedModel', (c, t) => s.tracking.getLoggedModel(c, t.modelId)],
    ['listRunArtifacts', (c, t) => s.artifacts.listRunArtifacts(c, t.runId)],
    ['download', (c, t) => s.artifacts.download(c, `${t.experimentId}/${t.runId}/artifacts/notes.txt`)],
  ];
  const writes: [string, (c: Caller, t: Target) => Promise<unknown>][] = [
    [
      'logBatch',
      (c, t) =>
        s.tracking.logBatch(c, t.runId, {
          metrics: [{ key: 'intruder', value: 1, timestamp: 1, step: 0 }],
          params: [{ key: 'intruder', value: 'x' }],
          tags: [],
        }),
    ],
    ['setTag', (c, t) => s.tracking.setTag(c, t.runId, { key: 'intruder', value: 'x' })],
    ['updateRun', (c, t) => s.tracking.updateRun(c, t.runId, { status: 'KILLED' })],
    ['createRun', (c, t) => s.tracking.createRun(c, { experimentId: t.experimentId })],
    [
      'setExperimentTag',
      (c, t) => s.tracking.setExperimentTag(c, t.experimentId, { key: 'intruder', value: 'x' }),
    ],
    ['renameExperiment', (c, t) => s.tracking.renameExperiment(c, t.experimentId, uniqueName('renamed'))],
    [
      'setLoggedModelTags',
      (c, t) => s.tracking.setLoggedModelTags(c, t.modelId, [{ key: 'intruder', value: 'x' }]),
    ],
    ['createLoggedModel', (c, t) => s.tracking.createLoggedModel(c, { experimentId: t.experimentId })],
    [
      'upload',
      (c, t) =>
        s.artifacts.upload(c, `${t.experimentId}/${t.runId}/artifacts/evil.txt`, Readable.from(['x'])),
    ],
  ];
  const manages: [string, (c: Caller, t: Target) => Promise<unknown>][] = [
    [
      'setPermission',
      (c, t) =>
        s.identity.setPermission(
          c,
          { type: 'experiment', id: t.experimentId },
          { user: c.user!.username },
          'MANAGE',
        ),
    ],
    ['deleteLoggedModel', (c, t) => s.tracking.deleteLoggedModel(c, t.modelId)],
    ['deleteRun', (c, t) => s.tracking.deleteRun(c, t.runId)],
    ['deleteExperiment', (c, t) => s.tracking.deleteExperiment(c, t.experimentId)],
  ];

  for (const principal of principals) {
    test(`${principal.name}: read ${principal.expect.read}, write ${principal.expect.write}, manage ${principal.expect.manage}`, async () => {
      const target = await freshTarget();
      await s.artifacts.upload(
        s.admin,
        `${target.experimentId}/${target.runId}/artifacts/notes.txt`,
        Readable.from(['hi']),
      );
      const caller = callers.get(principal.name)!;
      for (const [family, calls] of [
        ['read', reads],
        ['write', writes],
        ['manage', manages],
      ] as const) {
        for (const [name, call] of calls) {
          const before = await snapshot(s, target);
          const got = await outcome(call(caller, target));
          expect(got, `${principal.name} ${name}`).toBe(principal.expect[family]);
          if (got !== 'ok') expect(await snapshot(s, target), `${name} changed nothing`).toBe(before);
        }
      }
    });

    test(`${principal.name}: creating an experiment -> ${principal.create}`, async () => {
      const caller = callers.get(principal.name)!;
      const name = uniqueName(`created-by-${principal.name}`);
      const got = await outcome(s.tracking.createExperiment(caller, { name }));
      expect(got).toBe(principal.create);
      if (got !== 'ok') {
        await expectKeelError(s.tracking.getExperimentByName(s.admin, name), 'RESOURCE_DOES_NOT_EXIST');
        return;
      }
      // The creator may manage what they created, whatever their role.
      const experiment = await s.tracking.getExperimentByName(caller, name);
      expect(experiment.workspace).toBe('default');
      await s.tracking.deleteExperiment(caller, experiment.experimentId);
    });
  }

  test('an unreadable experiment, run or model gets word for word what a missing one gets', async () => {
    const target = await freshTarget();
    const outsider = callers.get('outsider')!;
    const pairs: [() => Promise<unknown>, () => Promise<unknown>, string, string][] = [
      [
        () => s.tracking.getExperiment(outsider, target.experimentId),
        () => s.tracking.getExperiment(s.admin, '987654321'),
        target.experimentId,
        '987654321',
      ],
      [
        () => s.tracking.getRun(outsider, target.runId),
        () => s.tracking.getRun(s.admin, 'f'.repeat(32)),
        target.runId,
        'f'.repeat(32),
      ],
      [
        () => s.tracking.getLoggedModel(outsider, target.modelId),
        () => s.tracking.getLoggedModel(s.admin, 'm-nope'),
        target.modelId,
        'm-nope',
      ],
      [
        () => s.tracking.getExperimentByName(outsider, target.experimentName),
        () => s.tracking.getExperimentByName(s.admin, 'nope'),
        target.experimentName,
        'nope',
      ],
    ];
    for (const [hidden, missing, hiddenId, missingId] of pairs) {
      const a = await expectKeelError(hidden(), 'RESOURCE_DOES_NOT_EXIST');
      const b = await expectKeelError(missing(), 'RESOURCE_DOES_NOT_EXIST');
      expect(a.message.replace(hiddenId, 'ID')).toBe(b.message.replace(missingId, 'ID'));
    }
    // Also as the unauthenticated caller sees a missing one (the store's own message).
    const anonymous = unauthenticatedCaller();
    const storeSays = await expectKeelError(
      s.tracking.getRun(anonymous, 'f'.repeat(32)),
      'RESOURCE_DOES_NOT_EXIST',
    );
    const hidden = await expectKeelError(
      s.tracking.getRun(outsider, target.runId),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(hidden.message.replace(target.runId, 'ID')).toBe(storeSays.message.replace('f'.repeat(32), 'ID'));
  });

  test('a forbidden write says who needs what', async () => {
    const target = await freshTarget();
    const reader = callers.get('reader')!;
    await expectKeelError(
      s.tracking.logBatch(reader, target.runId, { metrics: [], params: [], tags: [] }),
      'PERMISSION_DENIED',
      `Permission denied: ${reader.user!.username} needs EDIT on experiment ${target.experimentId}.`,
    );
  });

  test('searches and bulk reads leave out what the caller may not read, silently', async () => {
    const visible = await freshTarget();
    const hidden = await freshTarget();
    const caller = callers.get('reader-denied')!;
    await s.identity.setPermission(
      s.admin,
      { type: 'experiment', id: visible.experimentId },
      { user: caller.user!.username },
      'READ',
    );
    const experiments = await s.tracking.searchExperiments(caller, { maxResults: 50_000 });
    const ids = experiments.items.map((e) => e.experimentId);
    expect(ids).toContain(visible.experimentId);
    expect(ids).not.toContain(hidden.experimentId);
    const runs = await s.tracking.searchRuns(caller, {
      experimentIds: [hidden.experimentId, visible.experimentId, '999999'],
    });
    expect(runs.items.map((r) => r.info.runId)).toEqual([visible.runId]);
    const onlyHidden = await s.tracking.searchRuns(caller, { experimentIds: [hidden.experimentId] });
    expect(onlyHidden).toEqual({ items: [] });
    const models = await s.tracking.searchLoggedModels(caller, {
      experimentIds: [hidden.experimentId, visible.experimentId],
    });
    expect(models.items.map((m) => m.modelId)).toEqual([visible.modelId]);
    const points = await s.tracking.getMetricHistoryBulkInterval(caller, {
      runIds: [hidden.runId, visible.runId],
      key: 'loss',
    });
    expect(points.map((p) => p.runId)).toEqual([visible.runId]);
    expect(
      await s.tracking.getMetricHistoryBulkInterval(caller, { runIds: [hidden.runId], key: 'loss' }),
    ).toEqual([]);
    await expectKeelError(
      s.tracking.getMetricHistory(caller, hidden.runId, 'loss', {}),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect((await s.tracking.getMetricHistory(caller, visible.runId, 'loss', {})).items).toHaveLength(1);

    // An outsider sees nothing at all, not even the Default experiment, and no page token.
    const none = await s.tracking.searchExperiments(callers.get('outsider')!, { maxResults: 1 });
    expect(none).toEqual({ items: [] });
  });

  test('experiments are created in, and looked up by name in, the caller’s workspace', async () => {
    const workspace = await newWorkspace(s);
    const user = await newUser(s, { role: 'editor', workspace });
    const there = callerOf(user, { workspace });
    const name = uniqueName('same-name');
    const inside = await s.tracking.createExperiment(there, { name });
    const inDefault = await s.tracking.createExperiment(s.admin, { name });
    expect(inside).not.toBe(inDefault);
    expect((await s.tracking.getExperimentByName(there, name)).experimentId).toBe(inside);
    expect((await s.tracking.getExperimentByName(s.admin, name)).experimentId).toBe(inDefault);
    expect(await s.tracking.objectWorkspace('experiment', inside)).toBe(workspace);
    expect(await s.tracking.objectWorkspace('experiment', '987654321')).toBeUndefined();
    expect(await s.tracking.objectWorkspace('dataset', inside)).toBeUndefined();
    const found = await s.tracking.searchExperiments(there, { filter: `name = '${name}'` });
    expect(found.items.map((e) => e.experimentId)).toEqual([inside]);
    // Editor in `workspace` only: not an editor of `default`.
    await expectKeelError(
      s.tracking.createExperiment(callerOf(user), { name: uniqueName('x') }),
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('a token limited to another workspace sees nothing of this one, and writes nothing', async () => {
    const target = await freshTarget();
    const elsewhere = await newWorkspace(s);
    const user = await newUser(s, { role: 'manager' });
    await s.identity.grantRole(s.admin, elsewhere, { user: user.username }, 'editor');
    const limited = callerOf(user, { tokenWorkspace: elsewhere });
    const before = await snapshot(s, target);
    await expectKeelError(s.tracking.getRun(limited, target.runId), 'RESOURCE_DOES_NOT_EXIST');
    await expectKeelError(
      s.tracking.logBatch(limited, target.runId, {
        metrics: [{ key: 'x', value: 1, timestamp: 1, step: 0 }],
        params: [],
        tags: [],
      }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    await expectKeelError(
      s.tracking.deleteExperiment(limited, target.experimentId),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect((await s.tracking.searchRuns(limited, { experimentIds: [target.experimentId] })).items).toEqual(
      [],
    );
    expect(await snapshot(s, target)).toBe(before);
    // At home it works.
    expect(await s.tracking.createExperiment(limited, { name: uniqueName('at-home') })).toMatch(/^\d+$/);
  });

  test('changes are audited under the caller, refused ones not at all', async () => {
    const editor = callers.get('editor')!;
    const reader = callers.get('reader')!;
    const name = uniqueName('audited');
    const experimentId = await s.tracking.createExperiment(editor, { name });
    const run = await s.tracking.createRun(editor, { experimentId });
    const events = await s.audit.query(s.admin, { objectType: 'experiment', objectId: experimentId });
    // Newest first: the creator's MANAGE grant follows the creation.
    expect(events.items.map((e) => e.action)).toEqual(['permission.grant', 'experiment.create']);
    expect(events.items[0]).toMatchObject({
      actorName: editor.user!.username,
      after: { permission: 'MANAGE' },
    });
    expect(events.items[1]).toMatchObject({
      actorId: editor.user!.userId,
      actorName: editor.user!.username,
      requestId: editor.requestId,
      ip: editor.ip,
      workspace: 'default',
    });
    const runEvents = await s.audit.query(s.admin, { objectType: 'run', objectId: run.info.runId });
    expect(runEvents.items.map((e) => [e.action, e.actorName])).toEqual([
      ['run.create', editor.user!.username],
    ]);

    const count = async () => (await s.audit.query(s.admin, { maxResults: 1000 })).items.length;
    const before = await count();
    await expectKeelError(s.tracking.deleteRun(reader, run.info.runId), 'PERMISSION_DENIED');
    await expectKeelError(s.tracking.renameExperiment(reader, experimentId, 'x'), 'PERMISSION_DENIED');
    expect(await count()).toBe(before);

    const anonymous = unauthenticatedCaller();
    await s.tracking.renameExperiment(anonymous, experimentId, uniqueName('renamed'));
    const renamed = await s.audit.query(s.admin, { objectId: experimentId, action: 'experiment.rename' });
    expect(renamed.items[0]).toMatchObject({ actorId: null, actorName: 'anonymous' });
  });

  test('with authentication off every call is allowed', async () => {
    const anonymous = unauthenticatedCaller();
    const experimentId = await s.tracking.createExperiment(anonymous, { name: uniqueName('open') });
    const run = await s.tracking.createRun(anonymous, { experimentId });
    await s.tracking.logBatch(anonymous, run.info.runId, {
      metrics: [],
      params: [{ key: 'a', value: '1' }],
      tags: [],
    });
    expect((await s.tracking.getRun(anonymous, run.info.runId)).data.params).toEqual([
      { key: 'a', value: '1' },
    ]);
    await s.tracking.deleteExperiment(anonymous, experimentId);
  });

  test('once warm, reading a run and logging to it cost no identity or ownership query', async () => {
    const target = await freshTarget();
    const caller = callers.get('editor')!;
    await s.tracking.getRun(caller, target.runId);
    const spies = [
      vi.spyOn(s.identityStore, 'findUserById'),
      vi.spyOn(s.identityStore, 'groupIdsOf'),
      vi.spyOn(s.identityStore, 'rolesOf'),
      vi.spyOn(s.identityStore, 'permissionsOf'),
      vi.spyOn(s.trackingStore, 'runOwner'),
      vi.spyOn(s.trackingStore, 'experimentWorkspace'),
    ];
    try {
      for (let i = 0; i < 5; i++) {
        await s.tracking.getRun(caller, target.runId);
        await s.tracking.logBatch(caller, target.runId, {
          metrics: [{ key: 'm', value: i, timestamp: i, step: i }],
          params: [],
          tags: [],
        });
      }
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      // Concurrent requests of one user after the TTL load their snapshot once.
      s.clock.advance(1001);
      await Promise.all(Array.from({ length: 10 }, () => s.tracking.getRun(caller, target.runId)));
      expect(spies[0]).toHaveBeenCalledTimes(1);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  test('a role removed through this process applies at once', async () => {
    const target = await freshTarget();
    const user = await newUser(s, { role: 'editor' });
    const caller = callerOf(user);
    await s.tracking.getRun(caller, target.runId);
    await s.identity.revokeRole(s.admin, 'default', { user: user.username });
    await expectKeelError(s.tracking.getRun(caller, target.runId), 'RESOURCE_DOES_NOT_EXIST');
    await s.identity.grantRole(s.admin, 'default', { user: user.username }, 'reader');
    await expectKeelError(
      s.tracking.setTag(caller, target.runId, { key: 'k', value: 'v' }),
      'PERMISSION_DENIED',
    );
  });
});
