import { describe, expect, it } from 'vitest';
import type { AuditStamp } from '../../src/core/audit/index.js';
import { engines } from '../support/databases.js';
import { storedEvent, type StoredEvent as StoredRow } from './identity-store-fixture.js';
import {
  expectKeelError,
  newExperiment,
  newRun,
  newWorkspace,
  uniqueName,
  useSqlStore,
} from './sql-store-fixture.js';

const alice: AuditStamp = { actorId: 'U-ALICE', actorName: 'alice', requestId: 'req-1', ip: '10.0.0.7' };

/** An event as stored, with `before` and `after` parsed (without the id and raw row these tests ignore). */
type StoredEvent = Omit<StoredRow, 'eventId' | 'raw'>;

for (const engine of engines) {
  describe(`SqlTrackingStore audit events (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_audit');

    /** The events about one object, oldest first. */
    const eventsOf = async (objectType: string, objectId: string): Promise<StoredEvent[]> => {
      const rows = await fixture.sqlDatabase.db
        .selectFrom('audit_events')
        .selectAll()
        .where('object_type', '=', objectType)
        .where('object_id', '=', objectId)
        .orderBy('event_id')
        .execute();
      return rows.map(storedEvent).map(({ eventId: _eventId, raw: _raw, ...event }) => event);
    };
    const eventCount = async (): Promise<number> => {
      const row = await fixture.sqlDatabase.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    /** Asserts that `work` fails with `code` and writes no event. */
    const refusedWithoutEvent = async (
      work: () => Promise<unknown>,
      code: Parameters<typeof expectKeelError>[1],
    ) => {
      const before = await eventCount();
      await expectKeelError(work(), code);
      expect(await eventCount()).toBe(before);
    };
    const newModel = (experimentId: string, stamp?: AuditStamp) =>
      fixture.store.createLoggedModel(
        {
          experimentId,
          name: 'clf',
          params: [],
          tags: [],
          artifactUri: (modelId) => `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
          now: 700,
        },
        stamp,
      );

    it("records an experiment's creation, rename, deletion and restore with the stamp's actor", async () => {
      const workspace = await newWorkspace(fixture.sqlDatabase);
      const name = uniqueName('audited');
      const id = await fixture.store.createExperiment(
        { workspace, name, tags: [], artifactLocation: (x) => `mlflow-artifacts:/${x}`, now: 100 },
        alice,
      );
      await fixture.store.renameExperiment(id, `${name}-2`, 200, alice);
      await fixture.store.deleteExperiment(id, 300, alice);
      await fixture.store.restoreExperiment(id, 400);

      const events = await eventsOf('experiment', id);
      const byAlice = { actorId: 'U-ALICE', actorName: 'alice', requestId: 'req-1', ip: '10.0.0.7' };
      const common = { objectType: 'experiment', objectId: id, workspace };
      expect(events).toEqual([
        {
          ...common,
          ...byAlice,
          time: 100,
          action: 'experiment.create',
          before: null,
          after: { name, artifactLocation: `mlflow-artifacts:/${id}` },
        },
        {
          ...common,
          ...byAlice,
          time: 200,
          action: 'experiment.rename',
          before: { name },
          after: { name: `${name}-2` },
        },
        {
          ...common,
          ...byAlice,
          time: 300,
          action: 'experiment.delete',
          before: { lifecycleStage: 'active' },
          after: { lifecycleStage: 'deleted' },
        },
        {
          ...common,
          actorId: null,
          actorName: 'system',
          requestId: null,
          ip: null,
          time: 400,
          action: 'experiment.restore',
          before: { lifecycleStage: 'deleted' },
          after: { lifecycleStage: 'active' },
        },
      ]);
    });

    it('writes no experiment event when the change is refused', async () => {
      const name = uniqueName('dup');
      const id = await newExperiment(fixture.store, name);
      await refusedWithoutEvent(() => newExperiment(fixture.store, name), 'RESOURCE_ALREADY_EXISTS');
      await refusedWithoutEvent(
        () => newExperiment(fixture.store, uniqueName('x'), 1, 'no-such-workspace'),
        'RESOURCE_DOES_NOT_EXIST',
      );
      const other = uniqueName('other');
      await newExperiment(fixture.store, other);
      await refusedWithoutEvent(
        () => fixture.store.renameExperiment(id, other, 5, alice),
        'RESOURCE_ALREADY_EXISTS',
      );
      await refusedWithoutEvent(
        () => fixture.store.renameExperiment('424242', 'y', 5, alice),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await refusedWithoutEvent(
        () => fixture.store.restoreExperiment(id, 5, alice),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await fixture.store.deleteExperiment(id, 6, alice);
      await refusedWithoutEvent(
        () => fixture.store.deleteExperiment(id, 7, alice),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await refusedWithoutEvent(
        () => fixture.store.renameExperiment(id, uniqueName('z'), 8, alice),
        'INVALID_STATE',
      );
      await refusedWithoutEvent(
        () =>
          fixture.store.createRun(
            {
              experimentId: id,
              userId: 'alice',
              runName: 'r',
              startTime: 1,
              tags: [],
              artifactUri: (runId) => runId,
            },
            alice,
          ),
        'INVALID_PARAMETER_VALUE',
      );
      await refusedWithoutEvent(() => newModel(id, alice), 'INVALID_PARAMETER_VALUE');
      expect((await eventsOf('experiment', id)).map((e) => e.action)).toEqual([
        'experiment.create',
        'experiment.delete',
      ]);
    });

    it("records a run's creation, changes, deletion and restore in its experiment's workspace", async () => {
      const workspace = await newWorkspace(fixture.sqlDatabase);
      const experimentId = await newExperiment(fixture.store, uniqueName('runs'), 1, workspace);
      const before = Date.now();
      const run = await fixture.store.createRun(
        {
          experimentId,
          userId: 'alice',
          runName: 'first',
          startTime: 5,
          tags: [],
          artifactUri: (runId) => `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
        },
        alice,
      );
      const runId = run.info.runId;
      await fixture.store.updateRun(runId, { status: 'FINISHED', endTime: 50, runName: 'first' }, alice);
      await fixture.store.updateRun(runId, { runName: 'second', status: 'FINISHED' }, alice);
      await fixture.store.updateRun(runId, { status: 'FINISHED', endTime: 50 }, alice);
      await fixture.store.deleteRun(runId, 900, alice);
      await fixture.store.deleteRun(runId, 950, alice);
      await fixture.store.restoreRun(runId, alice);
      await fixture.store.restoreRun(runId, alice);

      const events = await eventsOf('run', runId);
      expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
        ['run.create', null, { experimentId, runName: 'first', status: 'RUNNING' }],
        ['run.update', { status: 'RUNNING', endTime: null }, { status: 'FINISHED', endTime: 50 }],
        ['run.update', { runName: 'first' }, { runName: 'second' }],
        ['run.delete', { lifecycleStage: 'active' }, { lifecycleStage: 'deleted' }],
        ['run.restore', { lifecycleStage: 'deleted' }, { lifecycleStage: 'active' }],
      ]);
      for (const event of events) {
        expect(event).toMatchObject({
          workspace,
          actorName: 'alice',
          actorId: 'U-ALICE',
          requestId: 'req-1',
        });
      }
      // Runs carry no server time of their own for these: the events take the clock's.
      expect(events[0]!.time).toBeGreaterThanOrEqual(before);
      expect(events[3]!.time).toBe(900);
    });

    it('writes no run event when the change is refused', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.deleteRun(runId, 10, alice);
      await refusedWithoutEvent(
        () => fixture.store.updateRun(runId, { status: 'FAILED' }, alice),
        'INVALID_PARAMETER_VALUE',
      );
      await refusedWithoutEvent(
        () => fixture.store.deleteRun('0'.repeat(32), 10, alice),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await refusedWithoutEvent(
        () => fixture.store.restoreRun('0'.repeat(32), alice),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await fixture.store.deleteExperiment(experimentId, 20, alice);
      await refusedWithoutEvent(() => fixture.store.restoreRun(runId, alice), 'INVALID_PARAMETER_VALUE');
      expect((await eventsOf('run', runId)).map((e) => e.action)).toEqual(['run.create', 'run.delete']);
    });

    it("records a logged model's creation, finalization and deletion", async () => {
      const workspace = await newWorkspace(fixture.sqlDatabase);
      const experimentId = await newExperiment(fixture.store, uniqueName('models'), 1, workspace);
      const model = await newModel(experimentId, alice);
      await fixture.store.finalizeLoggedModel(model.modelId, 'LOGGED_MODEL_READY', 800, alice);
      await fixture.store.deleteLoggedModel(model.modelId, 900, alice);
      await refusedWithoutEvent(
        () => fixture.store.finalizeLoggedModel(model.modelId, 'LOGGED_MODEL_READY', 950, alice),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await refusedWithoutEvent(
        () => fixture.store.deleteLoggedModel(model.modelId, 960, alice),
        'RESOURCE_DOES_NOT_EXIST',
      );

      const events = await eventsOf('logged_model', model.modelId);
      expect(events.map((e) => [e.action, e.time, e.before, e.after])).toEqual([
        ['logged_model.create', 700, null, { experimentId, name: 'clf', status: 'LOGGED_MODEL_PENDING' }],
        ['logged_model.finalize', 800, { status: 'LOGGED_MODEL_PENDING' }, { status: 'LOGGED_MODEL_READY' }],
        ['logged_model.delete', 900, { lifecycleStage: 'active' }, { lifecycleStage: 'deleted' }],
      ]);
      for (const event of events) expect(event).toMatchObject({ workspace, actorName: 'alice' });
    });

    it('records nothing for a change that changes nothing: the same name, the same status', async () => {
      const name = uniqueName('same');
      const experimentId = await newExperiment(fixture.store, name);
      const model = await newModel(experimentId, alice);
      await fixture.store.finalizeLoggedModel(model.modelId, 'LOGGED_MODEL_READY', 800, alice);
      const before = await eventCount();
      await fixture.store.renameExperiment(experimentId, name, 900, alice);
      const finalized = await fixture.store.finalizeLoggedModel(
        model.modelId,
        'LOGGED_MODEL_READY',
        950,
        alice,
      );
      expect(finalized.status).toBe('LOGGED_MODEL_READY');
      expect(await eventCount()).toBe(before);
      expect((await eventsOf('experiment', experimentId)).map((e) => e.action)).toEqual([
        'experiment.create',
      ]);
    });

    it('records one purge event per run and experiment removed, in the purge itself', async () => {
      const workspace = await newWorkspace(fixture.sqlDatabase);
      const kept = await newExperiment(fixture.store, uniqueName('kept'), 1, workspace);
      const lone = await newRun(fixture.store, kept);
      const active = await newRun(fixture.store, kept);
      await fixture.store.deleteRun(lone, 10);
      const doomed = await newExperiment(fixture.store, uniqueName('doomed'), 1, workspace);
      const inDoomed = await newRun(fixture.store, doomed);
      await fixture.store.deleteExperiment(doomed, 20);

      const purged = await fixture.store.purge(
        { runIds: [lone, active, 'nope'], experimentIds: [doomed, kept, 'abc'] },
        { actorId: null, actorName: 'system', requestId: 'gc-1' },
      );
      expect(purged.runs.map((r) => r.runId).sort()).toEqual([inDoomed, lone].sort());

      const [lonePurge] = (await eventsOf('run', lone)).filter((e) => e.action === 'run.purge');
      expect(lonePurge).toMatchObject({
        workspace,
        actorName: 'system',
        actorId: null,
        requestId: 'gc-1',
        before: {
          lifecycleStage: 'deleted',
          experimentId: kept,
          artifactUri: `mlflow-artifacts:/${kept}/${lone}/artifacts`,
        },
        after: null,
      });
      expect((await eventsOf('run', inDoomed)).map((e) => [e.action, e.workspace])).toEqual([
        ['run.create', workspace],
        ['run.purge', workspace],
      ]);
      const experimentEvents = await eventsOf('experiment', doomed);
      expect(experimentEvents.at(-1)).toMatchObject({
        action: 'experiment.purge',
        workspace,
        before: { lifecycleStage: 'deleted', artifactLocation: `mlflow-artifacts:/${doomed}` },
        after: null,
      });
      expect((await eventsOf('run', active)).map((e) => e.action)).toEqual(['run.create']);
      expect((await eventsOf('experiment', kept)).map((e) => e.action)).toEqual(['experiment.create']);

      // Purging nothing records nothing.
      const count = await eventCount();
      expect(await fixture.store.purge({ runIds: [lone], experimentIds: [doomed] })).toEqual({
        runs: [],
        experiments: [],
      });
      expect(await eventCount()).toBe(count);
    });

    it('appends only: the database refuses to change or remove an event', async () => {
      await newExperiment(fixture.store);
      await expect(
        fixture.sqlDatabase.db.updateTable('audit_events').set({ actor_name: 'mallory' }).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(fixture.sqlDatabase.db.deleteFrom('audit_events').execute()).rejects.toThrow(
        /append-only/,
      );
    });
  });
}
