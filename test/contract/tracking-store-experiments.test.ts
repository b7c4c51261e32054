import { describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { expectKeelError, newExperiment, newRun, uniqueName, useSqlStore } from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SqlTrackingStore experiments (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_exp');

    it('has the Default experiment 0 on a new database', async () => {
      const experiment = await fixture.store.getExperiment('0');
      expect(experiment).toMatchObject({ experimentId: '0', name: 'Default', lifecycleStage: 'active' });
      expect(experiment.artifactLocation).toBe('mlflow-artifacts:/0');
    });

    it('creates an experiment with its tags and an artifact location built from the new id', async () => {
      const name = uniqueName('create');
      const id = await fixture.store.createExperiment({
        workspace: 'default',
        name,
        tags: [
          { key: 'team', value: 'a' },
          { key: 'note', value: 'x' },
          { key: 'team', value: 'b' },
        ],
        artifactLocation: (experimentId) => `mlflow-artifacts:/${experimentId}`,
        now: 1234,
      });
      expect(id).toMatch(/^[1-9][0-9]*$/);
      const experiment = await fixture.store.getExperiment(id);
      expect(experiment).toEqual({
        experimentId: id,
        workspace: 'default',
        name,
        artifactLocation: `mlflow-artifacts:/${id}`,
        lifecycleStage: 'active',
        creationTime: 1234,
        lastUpdateTime: 1234,
        tags: [
          { key: 'note', value: 'x' },
          { key: 'team', value: 'b' },
        ],
      });
      expect(await fixture.store.getExperimentByName('default', name)).toEqual(experiment);
    });

    it('refuses a name taken by an active or a deleted experiment, creating nothing', async () => {
      const name = uniqueName('dup');
      const id = await newExperiment(fixture.store, name);
      await expectKeelError(
        newExperiment(fixture.store, name),
        'RESOURCE_ALREADY_EXISTS',
        `Experiment '${name}' already exists.`,
      );
      await fixture.store.deleteExperiment(id, 5000);
      await expectKeelError(
        newExperiment(fixture.store, name),
        'RESOURCE_ALREADY_EXISTS',
        `Experiment '${name}' already exists.`,
      );
      const stored = await fixture.store.getExperimentByName('default', name);
      expect(stored?.experimentId).toBe(id);
      const count = await fixture.sqlDatabase.db
        .selectFrom('experiments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
    });

    it('answers RESOURCE_DOES_NOT_EXIST for unknown and non-numeric ids', async () => {
      for (const id of ['abc', '987654', '99999999999999', '-1', '1.5', '']) {
        await expectKeelError(
          fixture.store.getExperiment(id),
          'RESOURCE_DOES_NOT_EXIST',
          `No Experiment with id=${id} exists`,
        );
      }
      expect(await fixture.store.getExperimentByName('default', uniqueName('missing'))).toBeUndefined();
    });

    it('finds a deleted experiment by id and by name', async () => {
      const name = uniqueName('deleted');
      const id = await newExperiment(fixture.store, name);
      await fixture.store.deleteExperiment(id, 7000);
      expect((await fixture.store.getExperiment(id)).lifecycleStage).toBe('deleted');
      expect((await fixture.store.getExperimentByName('default', name))?.lifecycleStage).toBe('deleted');
    });

    it('renames an experiment and refuses a taken name, a deleted experiment and an unknown id', async () => {
      const id = await newExperiment(fixture.store);
      const newName = uniqueName('renamed');
      await fixture.store.renameExperiment(id, newName, 9000);
      const renamed = await fixture.store.getExperiment(id);
      expect(renamed.name).toBe(newName);
      expect(renamed.lastUpdateTime).toBe(9000);
      await fixture.store.renameExperiment(id, newName, 9100);

      const otherName = uniqueName('other');
      await newExperiment(fixture.store, otherName);
      await expectKeelError(
        fixture.store.renameExperiment(id, otherName, 9200),
        'RESOURCE_ALREADY_EXISTS',
        `Experiment '${otherName}' already exists.`,
      );
      expect((await fixture.store.getExperiment(id)).name).toBe(newName);

      await fixture.store.deleteExperiment(id, 9300);
      await expectKeelError(
        fixture.store.renameExperiment(id, uniqueName('x'), 9400),
        'INVALID_STATE',
        /deleted/,
      );
      expect((await fixture.store.getExperiment(id)).name).toBe(newName);
      await expectKeelError(fixture.store.renameExperiment('424242', 'y', 1), 'RESOURCE_DOES_NOT_EXIST');
      await expectKeelError(fixture.store.renameExperiment('nope', 'y', 1), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('deletes an experiment with its active runs, and restores exactly the runs deleted with it', async () => {
      const id = await newExperiment(fixture.store);
      const kept = await newRun(fixture.store, id);
      const deletedBefore = await newRun(fixture.store, id);
      await fixture.store.deleteRun(deletedBefore, 3000);

      await fixture.store.deleteExperiment(id, 4000);
      const experiment = await fixture.store.getExperiment(id);
      expect(experiment.lifecycleStage).toBe('deleted');
      expect(experiment.lastUpdateTime).toBe(4000);
      expect((await fixture.store.getRunInfo(kept)).lifecycleStage).toBe('deleted');
      const times = await fixture.sqlDatabase.db
        .selectFrom('runs')
        .select(['run_uuid', 'deleted_time'])
        .where('experiment_id', '=', Number(id))
        .execute();
      expect(Object.fromEntries(times.map((r) => [r.run_uuid, Number(r.deleted_time)]))).toEqual({
        [kept]: 4000,
        [deletedBefore]: 3000,
      });

      await expectKeelError(fixture.store.deleteExperiment(id, 4100), 'RESOURCE_DOES_NOT_EXIST');
      await fixture.store.restoreExperiment(id, 5000);
      expect((await fixture.store.getExperiment(id)).lifecycleStage).toBe('active');
      expect((await fixture.store.getRunInfo(kept)).lifecycleStage).toBe('active');
      expect((await fixture.store.getRunInfo(deletedBefore)).lifecycleStage).toBe('deleted');
      await expectKeelError(fixture.store.restoreExperiment(id, 5100), 'RESOURCE_DOES_NOT_EXIST');
      await expectKeelError(fixture.store.restoreExperiment('31337', 1), 'RESOURCE_DOES_NOT_EXIST');
      await expectKeelError(fixture.store.deleteExperiment('abc', 1), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('sets, overwrites and deletes experiment tags', async () => {
      const id = await newExperiment(fixture.store);
      await fixture.store.setExperimentTag(id, { key: 'k', value: '1' });
      await fixture.store.setExperimentTag(id, { key: 'k', value: '2' });
      await fixture.store.setExperimentTag(id, { key: 'a', value: 'x' });
      expect((await fixture.store.getExperiment(id)).tags).toEqual([
        { key: 'a', value: 'x' },
        { key: 'k', value: '2' },
      ]);
      await fixture.store.deleteExperimentTag(id, 'k');
      expect((await fixture.store.getExperiment(id)).tags).toEqual([{ key: 'a', value: 'x' }]);
      await expectKeelError(
        fixture.store.deleteExperimentTag(id, 'k'),
        'RESOURCE_DOES_NOT_EXIST',
        `No tag with name: k in experiment with id ${id}`,
      );
      await expectKeelError(
        fixture.store.setExperimentTag('777777', { key: 'k', value: 'v' }),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await expectKeelError(fixture.store.deleteExperimentTag('777777', 'k'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('refuses tag writes on a deleted experiment, changing nothing', async () => {
      const id = await newExperiment(fixture.store);
      await fixture.store.setExperimentTag(id, { key: 'k', value: '1' });
      await fixture.store.deleteExperiment(id, 100);
      await expectKeelError(
        fixture.store.setExperimentTag(id, { key: 'k', value: '2' }),
        'INVALID_PARAMETER_VALUE',
        `The experiment ${id} must be in the 'active' state. Current state is deleted.`,
      );
      await expectKeelError(fixture.store.deleteExperimentTag(id, 'k'), 'INVALID_PARAMETER_VALUE');
      expect((await fixture.store.getExperiment(id)).tags).toEqual([{ key: 'k', value: '1' }]);
    });
  });
}
