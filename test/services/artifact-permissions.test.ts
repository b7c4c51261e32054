import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { LocalBlobStore } from '../../src/backends/blob/index.js';
import { unauthenticatedCaller } from '../../src/core/auth/index.js';
import { GarbageCollector } from '../../src/services/gc/index.js';
import { engines } from '../support/databases.js';
import { expectKeelError, uniqueName } from '../contract/sql-store-fixture.js';
import { callerOf, newUser, useServices } from './service-fixture.js';

async function text(download: { kind: string; body?: Readable }): Promise<string> {
  let out = '';
  for await (const chunk of download.body!) out += String(chunk);
  return out;
}

describe.each(engines)('artifact permissions on %s', (engine) => {
  const s = useServices(engine, 'svc_artifacts');

  async function target() {
    const experimentId = await s.tracking.createExperiment(s.admin, { name: uniqueName('art') });
    const run = await s.tracking.createRun(s.admin, { experimentId });
    const root = `${experimentId}/${run.info.runId}/artifacts`;
    await s.artifacts.upload(s.admin, `${root}/notes.txt`, Readable.from(['hello']));
    return { experimentId, runId: run.info.runId, root };
  }

  test('READ to download and list, EDIT to upload, MANAGE to delete', async () => {
    const { root, runId } = await target();
    const reader = callerOf(await newUser(s, { role: 'reader' }));
    const editor = callerOf(await newUser(s, { role: 'editor' }));
    const manager = callerOf(await newUser(s, { role: 'manager' }));
    expect(await text(await s.artifacts.download(reader, `${root}/notes.txt`))).toBe('hello');
    expect((await s.artifacts.list(reader, root)).map((f) => f.path)).toEqual(['notes.txt']);
    expect((await s.artifacts.listRunArtifacts(reader, runId)).files.map((f) => f.path)).toEqual([
      'notes.txt',
    ]);
    expect(await text(await s.artifacts.openRunArtifact(reader, runId, 'notes.txt'))).toBe('hello');

    const body = Readable.from(['evil']);
    await expectKeelError(s.artifacts.upload(reader, `${root}/evil.txt`, body), 'PERMISSION_DENIED');
    expect(body.destroyed).toBe(true);
    await expectKeelError(s.artifacts.delete(reader, `${root}/notes.txt`), 'PERMISSION_DENIED');
    expect((await s.artifacts.list(s.admin, root)).map((f) => f.path)).toEqual(['notes.txt']);

    await s.artifacts.upload(editor, `${root}/more.txt`, Readable.from(['more']));
    // Deleting bytes is for good: MANAGE, as MLflow's auth app asks, not EDIT.
    await expectKeelError(
      s.artifacts.delete(editor, `${root}/notes.txt`),
      'PERMISSION_DENIED',
      `Permission denied: ${editor.user!.username} needs MANAGE on experiment ${root.split('/')[0]}.`,
    );
    expect((await s.artifacts.list(s.admin, root)).map((f) => f.path)).toEqual(['more.txt', 'notes.txt']);
    await s.artifacts.delete(manager, `${root}/notes.txt`);
    expect((await s.artifacts.list(s.admin, root)).map((f) => f.path)).toEqual(['more.txt']);
  });

  test('what the caller may not read looks absent: 404 like a missing file, and empty listings', async () => {
    const { root, runId, experimentId } = await target();
    const outsider = callerOf(await newUser(s));
    const hidden = await expectKeelError(
      s.artifacts.download(outsider, `${root}/notes.txt`),
      'RESOURCE_DOES_NOT_EXIST',
    );
    const missing = await expectKeelError(
      s.artifacts.download(s.admin, `${root}/absent.txt`),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(hidden.message.replace('notes.txt', 'X')).toBe(missing.message.replace('absent.txt', 'X'));
    expect(await s.artifacts.list(outsider, root)).toEqual([]);
    expect(await s.artifacts.list(outsider, experimentId)).toEqual([]);
    await expectKeelError(
      s.artifacts.listRunArtifacts(outsider, runId),
      'RESOURCE_DOES_NOT_EXIST',
      `Run with id=${runId} not found`,
    );
    await expectKeelError(
      s.artifacts.openRunArtifact(outsider, runId, 'notes.txt'),
      'RESOURCE_DOES_NOT_EXIST',
    );
    await expectKeelError(
      s.artifacts.upload(outsider, `${root}/evil.txt`, Readable.from(['x'])),
      'RESOURCE_DOES_NOT_EXIST',
      `No Experiment with id=${experimentId} exists`,
    );
    expect((await s.artifacts.list(s.admin, root)).map((f) => f.path)).toEqual(['notes.txt']);
  });

  test('the root listing shows a non-administrator only the experiments they may read', async () => {
    const visible = await target();
    const hidden = await target();
    await s.artifacts.upload(s.admin, 'loose/file.txt', Readable.from(['x']));
    const user = await newUser(s);
    await s.identity.setPermission(
      s.admin,
      { type: 'experiment', id: visible.experimentId },
      { user: user.username },
      'READ',
    );
    const names = (await s.artifacts.list(callerOf(user))).map((f) => f.path);
    expect(names).toEqual([visible.experimentId]);
    const all = (await s.artifacts.list(s.admin)).map((f) => f.path);
    expect(all).toEqual(expect.arrayContaining([visible.experimentId, hidden.experimentId, 'loose']));
  });

  test('paths outside every experiment’s folder are for site administrators (and auth off) only', async () => {
    const editor = callerOf(await newUser(s, { role: 'editor' }));
    await expectKeelError(
      s.artifacts.upload(editor, 'shared/x.txt', Readable.from(['x'])),
      'RESOURCE_DOES_NOT_EXIST',
    );
    await expectKeelError(
      s.artifacts.upload(editor, '987654321/x.txt', Readable.from(['x'])),
      'RESOURCE_DOES_NOT_EXIST',
    );
    await s.artifacts.upload(s.admin, 'shared/x.txt', Readable.from(['x']));
    await expectKeelError(s.artifacts.download(editor, 'shared/x.txt'), 'RESOURCE_DOES_NOT_EXIST');
    expect(await s.artifacts.list(editor, 'shared')).toEqual([]);
    expect(await text(await s.artifacts.download(unauthenticatedCaller(), 'shared/x.txt'))).toBe('x');
    await s.artifacts.delete(unauthenticatedCaller(), 'shared/x.txt');
  });

  test('logged model artifacts need READ on the model’s experiment', async () => {
    const { experimentId } = await target();
    const model = await s.tracking.createLoggedModel(s.admin, { experimentId, name: 'm' });
    const reader = callerOf(await newUser(s, { role: 'reader' }));
    const outsider = callerOf(await newUser(s));
    expect((await s.artifacts.listLoggedModelArtifacts(reader, model.modelId)).files).toEqual([]);
    await expectKeelError(
      s.artifacts.listLoggedModelArtifacts(outsider, model.modelId),
      'RESOURCE_DOES_NOT_EXIST',
    );
    await expectKeelError(
      s.artifacts.openLoggedModelArtifact(outsider, model.modelId, 'MLmodel'),
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('garbage collection purges under the name "keel gc"', async () => {
    const { experimentId } = await target();
    await s.tracking.deleteExperiment(s.admin, experimentId);
    const gc = new GarbageCollector({
      store: s.trackingStore,
      blobs: new LocalBlobStore(`/nonexistent-${uniqueName('gc')}`),
    });
    const result = await gc.collect({ olderThanMs: 0, now: s.clock.now() + 1000 });
    expect(result.experimentIds).toContain(experimentId);
    const events = await s.audit.query(s.admin, {
      objectType: 'experiment',
      objectId: experimentId,
      action: 'experiment.purge',
    });
    expect(events.items[0]).toMatchObject({ actorId: null, actorName: 'keel gc' });
  });
});
