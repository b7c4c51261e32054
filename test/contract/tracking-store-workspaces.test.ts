import { describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import {
  expectKeelError,
  newExperiment,
  newRun,
  newWorkspace,
  uniqueName,
  useSqlStore,
} from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SqlTrackingStore workspaces and ownership (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_ws');

    const newModel = async (experimentId: string) =>
      (
        await fixture.store.createLoggedModel({
          experimentId,
          name: 'model',
          params: [],
          tags: [],
          artifactUri: (modelId) => `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
          now: 10,
        })
      ).modelId;

    it('puts the Default experiment in the default workspace', async () => {
      expect((await fixture.store.getExperiment('0')).workspace).toBe('default');
      expect((await fixture.store.getExperimentByName('default', 'Default'))?.experimentId).toBe('0');
    });

    it('allows one name once per workspace, each found in its own workspace', async () => {
      const other = await newWorkspace(fixture.sqlDatabase);
      const name = uniqueName('shared');
      const inDefault = await newExperiment(fixture.store, name);
      const inOther = await newExperiment(fixture.store, name, 1_000, other);
      expect(inOther).not.toBe(inDefault);
      expect(await fixture.store.getExperiment(inOther)).toMatchObject({ workspace: other, name });
      expect((await fixture.store.getExperimentByName('default', name))?.experimentId).toBe(inDefault);
      expect((await fixture.store.getExperimentByName(other, name))?.experimentId).toBe(inOther);
      expect(await fixture.store.getExperimentByName(other, 'Default')).toBeUndefined();
      expect(await fixture.store.getExperimentByName('no-such-workspace', name)).toBeUndefined();

      await expectKeelError(
        newExperiment(fixture.store, name, 1_000, other),
        'RESOURCE_ALREADY_EXISTS',
        `Experiment '${name}' already exists.`,
      );
      // A deleted experiment keeps its name taken in its workspace only.
      await fixture.store.deleteExperiment(inOther, 2_000);
      await expectKeelError(
        newExperiment(fixture.store, name, 1_000, other),
        'RESOURCE_ALREADY_EXISTS',
        `Experiment '${name}' already exists.`,
      );
    });

    it('checks a new name against its own workspace only when renaming', async () => {
      const other = await newWorkspace(fixture.sqlDatabase);
      const taken = uniqueName('taken');
      await newExperiment(fixture.store, taken);
      const mine = await newExperiment(fixture.store, uniqueName('mine'), 1_000, other);
      await fixture.store.renameExperiment(mine, taken, 3_000);
      expect(await fixture.store.getExperiment(mine)).toMatchObject({ name: taken, workspace: other });

      const neighbour = uniqueName('neighbour');
      await newExperiment(fixture.store, neighbour, 1_000, other);
      await expectKeelError(
        fixture.store.renameExperiment(mine, neighbour, 3_100),
        'RESOURCE_ALREADY_EXISTS',
        `Experiment '${neighbour}' already exists.`,
      );
      expect((await fixture.store.getExperiment(mine)).name).toBe(taken);
    });

    it('refuses an experiment in a workspace that does not exist', async () => {
      const name = uniqueName('orphan');
      await expectKeelError(
        newExperiment(fixture.store, name, 1_000, 'no-such-workspace'),
        'RESOURCE_DOES_NOT_EXIST',
        "Workspace 'no-such-workspace' not found",
      );
      expect(await fixture.store.getExperimentByName('no-such-workspace', name)).toBeUndefined();
    });

    it('tells the workspace of an experiment, and nothing for unknown or malformed ids', async () => {
      const other = await newWorkspace(fixture.sqlDatabase);
      const id = await newExperiment(fixture.store, uniqueName('owned'), 1_000, other);
      expect(await fixture.store.experimentWorkspace(id)).toBe(other);
      expect(await fixture.store.experimentWorkspace('0')).toBe('default');
      await fixture.store.deleteExperiment(id, 5_000);
      expect(await fixture.store.experimentWorkspace(id)).toBe(other);
      for (const unknown of ['424242', 'abc', '', '-1', '1.5', '99999999999999', `${id}\u0000`]) {
        expect(await fixture.store.experimentWorkspace(unknown), JSON.stringify(unknown)).toBeUndefined();
      }
    });

    it("tells a run's experiment and workspace, deleted or not, and nothing for unknown ids", async () => {
      const other = await newWorkspace(fixture.sqlDatabase);
      const experimentId = await newExperiment(fixture.store, uniqueName('runs'), 1_000, other);
      const runId = await newRun(fixture.store, experimentId);
      expect(await fixture.store.runOwner(runId)).toEqual({ experimentId, workspace: other });
      await fixture.store.deleteRun(runId, 6_000);
      expect(await fixture.store.runOwner(runId)).toEqual({ experimentId, workspace: other });
      const inDefault = await newRun(fixture.store, '0');
      expect(await fixture.store.runOwner(inDefault)).toEqual({ experimentId: '0', workspace: 'default' });
      for (const unknown of ['0'.repeat(32), 'nope', '', 'x'.repeat(5_000), `${runId}\u0000`, `${runId} `]) {
        expect(await fixture.store.runOwner(unknown), JSON.stringify(unknown.slice(0, 40))).toBeUndefined();
      }
    });

    it("tells a logged model's experiment and workspace, and nothing for unknown ids", async () => {
      const other = await newWorkspace(fixture.sqlDatabase);
      const experimentId = await newExperiment(fixture.store, uniqueName('models'), 1_000, other);
      const modelId = await newModel(experimentId);
      expect(await fixture.store.loggedModelOwner(modelId)).toEqual({ experimentId, workspace: other });
      await fixture.store.deleteLoggedModel(modelId, 7_000);
      expect(await fixture.store.loggedModelOwner(modelId)).toEqual({ experimentId, workspace: other });
      for (const unknown of ['m-' + '0'.repeat(32), 'm-', '', 'x'.repeat(5_000), `${modelId}\u0000`]) {
        expect(
          await fixture.store.loggedModelOwner(unknown),
          JSON.stringify(unknown.slice(0, 40)),
        ).toBeUndefined();
      }
    });
  });
}
