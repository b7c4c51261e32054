import { describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { expectKeelError, newExperiment, newRun, useSqlStore } from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SqlTrackingStore logged models (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_models');

    const create = async (experimentId: string, now = 100) =>
      fixture.store.createLoggedModel({
        experimentId,
        name: 'model',
        modelType: 'sklearn',
        params: [{ key: 'alpha', value: '0.5' }],
        tags: [{ key: 'stage', value: 'dev' }],
        artifactUri: (modelId) => `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
        now,
      });

    it('creates a PENDING model with an m-<hex> id, and gets it back', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      const model = await fixture.store.createLoggedModel({
        experimentId,
        name: 'clf',
        sourceRunId: runId,
        params: [],
        tags: [],
        artifactUri: (id) => `mlflow-artifacts:/${experimentId}/models/${id}/artifacts`,
        now: 42,
      });
      expect(model.modelId).toMatch(/^m-[0-9a-f]{32}$/);
      expect(model).toEqual({
        modelId: model.modelId,
        experimentId,
        name: 'clf',
        artifactUri: `mlflow-artifacts:/${experimentId}/models/${model.modelId}/artifacts`,
        creationTimestampMs: 42,
        lastUpdatedTimestampMs: 42,
        status: 'LOGGED_MODEL_PENDING',
        sourceRunId: runId,
        lifecycleStage: 'active',
        tags: [],
        params: [],
        metrics: [],
      });
      expect(await fixture.store.getLoggedModel(model.modelId)).toEqual(model);
      const full = await create(experimentId);
      expect(full.modelType).toBe('sklearn');
      expect(await fixture.store.getLoggedModel(full.modelId)).toEqual(full);
    });

    it('refuses a model in an unknown or deleted experiment', async () => {
      await expectKeelError(
        create('919191'),
        'RESOURCE_DOES_NOT_EXIST',
        'No Experiment with id=919191 exists',
      );
      const experimentId = await newExperiment(fixture.store);
      await fixture.store.deleteExperiment(experimentId, 5);
      await expectKeelError(create(experimentId), 'INVALID_PARAMETER_VALUE');
      const count = await fixture.sqlDatabase.db
        .selectFrom('logged_models')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('experiment_id', '=', Number(experimentId))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    });

    it('finalizes, tags and untags a model, updating its timestamp', async () => {
      const model = await create(await newExperiment(fixture.store));
      const ready = await fixture.store.finalizeLoggedModel(model.modelId, 'LOGGED_MODEL_READY', 200);
      expect(ready).toMatchObject({
        status: 'LOGGED_MODEL_READY',
        lastUpdatedTimestampMs: 200,
        creationTimestampMs: 100,
      });
      const tagged = await fixture.store.setLoggedModelTags(
        model.modelId,
        [
          { key: 'stage', value: 'prod' },
          { key: 'mlflow.modelVersions', value: '[1]' },
        ],
        300,
      );
      expect(tagged.tags).toEqual([
        { key: 'mlflow.modelVersions', value: '[1]' },
        { key: 'stage', value: 'prod' },
      ]);
      expect(tagged.lastUpdatedTimestampMs).toBe(300);
      await fixture.store.deleteLoggedModelTag(model.modelId, 'stage');
      expect((await fixture.store.getLoggedModel(model.modelId)).tags).toEqual([
        { key: 'mlflow.modelVersions', value: '[1]' },
      ]);
      await expectKeelError(
        fixture.store.deleteLoggedModelTag(model.modelId, 'stage'),
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    it('logs params once: the same value again is fine, another value is refused and nothing changes', async () => {
      const model = await create(await newExperiment(fixture.store));
      await fixture.store.logLoggedModelParams(model.modelId, [
        { key: 'beta', value: '1' },
        { key: 'alpha', value: '0.5' },
      ]);
      await expectKeelError(
        fixture.store.logLoggedModelParams(model.modelId, [
          { key: 'gamma', value: '2' },
          { key: 'beta', value: '9' },
        ]),
        'INVALID_PARAMETER_VALUE',
        /Changing param values is not allowed\. Param with key='beta' was already logged with value='1'/,
      );
      expect((await fixture.store.getLoggedModel(model.modelId)).params).toEqual([
        { key: 'alpha', value: '0.5' },
        { key: 'beta', value: '1' },
      ]);
    });

    it('deletes a model softly: it is then gone for every operation', async () => {
      const model = await create(await newExperiment(fixture.store));
      await fixture.store.deleteLoggedModel(model.modelId, 500);
      const row = await fixture.sqlDatabase.db
        .selectFrom('logged_models')
        .select(['lifecycle_stage', 'deleted_time'])
        .where('model_id', '=', model.modelId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ lifecycle_stage: 'deleted', deleted_time: 500 });
      const message = `Logged model with ID '${model.modelId}' not found.`;
      await expectKeelError(fixture.store.getLoggedModel(model.modelId), 'RESOURCE_DOES_NOT_EXIST', message);
      await expectKeelError(
        fixture.store.deleteLoggedModel(model.modelId, 600),
        'RESOURCE_DOES_NOT_EXIST',
        message,
      );
      await expectKeelError(
        fixture.store.finalizeLoggedModel(model.modelId, 'LOGGED_MODEL_READY', 1),
        'RESOURCE_DOES_NOT_EXIST',
        message,
      );
    });

    it('answers RESOURCE_DOES_NOT_EXIST for an unknown model on every method', async () => {
      const id = 'm-00000000000000000000000000000000';
      const message = `Logged model with ID '${id}' not found.`;
      await expectKeelError(fixture.store.getLoggedModel(id), 'RESOURCE_DOES_NOT_EXIST', message);
      await expectKeelError(
        fixture.store.finalizeLoggedModel(id, 'LOGGED_MODEL_READY', 1),
        'RESOURCE_DOES_NOT_EXIST',
        message,
      );
      await expectKeelError(fixture.store.deleteLoggedModel(id, 1), 'RESOURCE_DOES_NOT_EXIST', message);
      await expectKeelError(
        fixture.store.setLoggedModelTags(id, [{ key: 'k', value: 'v' }], 1),
        'RESOURCE_DOES_NOT_EXIST',
        message,
      );
      await expectKeelError(fixture.store.deleteLoggedModelTag(id, 'k'), 'RESOURCE_DOES_NOT_EXIST', message);
      await expectKeelError(
        fixture.store.logLoggedModelParams(id, [{ key: 'k', value: 'v' }]),
        'RESOURCE_DOES_NOT_EXIST',
        message,
      );
      const tags = await fixture.sqlDatabase.db
        .selectFrom('logged_model_tags')
        .selectAll()
        .where('model_id', '=', id)
        .execute();
      expect(tags).toEqual([]);
    });
  });
}
