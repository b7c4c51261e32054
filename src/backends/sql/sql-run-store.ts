import { systemStamp, type AuditStamp } from '../../core/audit/index.js';
import { KeelError } from '../../core/errors.js';
import type {
  DatasetInput,
  ModelInput,
  ModelOutput,
  Run,
  RunInfo,
  RunStatus,
  Tag,
} from '../../core/tracking/index.js';
import { lockRows } from './dialect.js';
import { newDatasetUuid, newRunId, parseExperimentId } from './entity-ids.js';
import { compareKeys, lastValuePerKey } from './key-order.js';
import { loadRuns, runInfoFromRow, type RunRow } from './run-loader.js';
import { QueryTemplate } from './query-template.js';
import { appendAuditEvent } from './sql-audit.js';
import { experimentNotActive, experimentNotFound, lifecycleEvent } from './sql-experiment-store.js';
import { workspaceOfExperiment } from './sql-ownership.js';
import { inTransaction, type Db, type SqlSource } from './sql-transaction.js';
import { chunked, rowsPerStatement } from './statement-chunks.js';

/** The tag that mirrors a run's name; `updateRun` keeps it in step with a rename. */
const runNameTag = 'mlflow.runName';

export function runNotFound(runId: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
}

export async function requireRun(db: Db, runId: string): Promise<RunRow> {
  const row = await db.selectFrom('runs').selectAll().where('run_uuid', '=', runId).executeTakeFirst();
  if (!row) throw runNotFound(runId);
  return row;
}

/** `INVALID_PARAMETER_VALUE` unless the run is active: only its lifecycle stage gates writes. */
export function assertRunActive(runId: string, lifecycleStage: string): void {
  if (lifecycleStage !== 'active') {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `The run ${runId} must be in the 'active' state. Current state is ${lifecycleStage}.`,
    );
  }
}

export async function requireActiveRun(db: Db, runId: string): Promise<RunRow> {
  const row = await requireRun(db, runId);
  assertRunActive(runId, row.lifecycle_stage);
  return row;
}

// Locked for share: a concurrent deleteExperiment waits until the new run is committed (and then
// deletes it with the experiment's other runs) instead of leaving it active in a deleted experiment.
const experimentState = new QueryTemplate((db, experimentId: number, caps) =>
  lockRows(
    db
      .selectFrom('experiments')
      .select(['lifecycle_stage', 'artifact_location', 'workspace'])
      .where('experiment_id', '=', experimentId),
    caps,
    'share',
  ),
);

const insertRun = new QueryTemplate((db, row: RunRow) => db.insertInto('runs').values(row));

const insertTags = new QueryTemplate(
  (db, rows: { run_uuid: string; key: string; value: string }[]) => db.insertInto('tags').values(rows),
  (rows) => rows.length,
);

export async function createRun(
  source: SqlSource,
  input: {
    experimentId: string;
    userId: string;
    runName: string;
    startTime: number;
    tags: Tag[];
    artifactUri: (runId: string, experimentArtifactLocation: string) => string;
  },
  stamp: AuditStamp = systemStamp,
): Promise<Run> {
  const { caps } = source;
  return inTransaction(source, async (trx) => {
    const experimentId = parseExperimentId(input.experimentId);
    const experiment =
      experimentId === undefined
        ? undefined
        : (await experimentState.execute(trx, caps, experimentId)).rows[0];
    if (experimentId === undefined || !experiment) throw experimentNotFound(input.experimentId);
    if (experiment.lifecycle_stage !== 'active') {
      throw experimentNotActive(input.experimentId, experiment.lifecycle_stage);
    }
    const row: RunRow = {
      run_uuid: newRunId(),
      experiment_id: experimentId,
      name: input.runName,
      user_id: input.userId,
      status: 'RUNNING',
      start_time: input.startTime,
      end_time: null,
      lifecycle_stage: 'active',
      artifact_uri: '',
      deleted_time: null,
    };
    row.artifact_uri = input.artifactUri(row.run_uuid, experiment.artifact_location);
    const tags = lastValuePerKey(input.tags);
    await insertRun.execute(trx, caps, row);
    for (const slice of chunked(tags, rowsPerStatement(caps, 3))) {
      await insertTags.execute(
        trx,
        caps,
        slice.map((tag) => ({ run_uuid: row.run_uuid, key: tag.key, value: tag.value })),
      );
    }
    await appendAuditEvent(
      trx,
      {
        action: 'run.create',
        objectType: 'run',
        objectId: row.run_uuid,
        workspace: experiment.workspace,
        before: null,
        after: { experimentId: input.experimentId, runName: row.name, status: row.status },
      },
      stamp,
      Date.now(),
      caps,
    );
    return {
      info: runInfoFromRow(row),
      data: { metrics: [], params: [], tags: tags.map((tag) => ({ key: tag.key, value: tag.value })) },
      inputs: { datasetInputs: [], modelInputs: [] },
      outputs: { modelOutputs: [] },
    };
  });
}

export async function getRun(source: SqlSource, runId: string): Promise<Run> {
  const [run] = await loadRuns(source, [runId]);
  if (!run) throw runNotFound(runId);
  return run;
}

export async function getRunInfo(source: SqlSource, runId: string): Promise<RunInfo> {
  return runInfoFromRow(await requireRun(source.db, runId));
}

/**
 * Changes a run's status, end time or name. The event records, before and after, the fields whose
 * value changed; an update that changes nothing records none.
 */
export async function updateRun(
  source: SqlSource,
  runId: string,
  changes: { status?: RunStatus; endTime?: number; runName?: string },
  stamp: AuditStamp = systemStamp,
): Promise<RunInfo> {
  return inTransaction(source, async (trx) => {
    const row = await requireActiveRun(trx, runId);
    const set: Partial<Pick<RunRow, 'status' | 'end_time' | 'name'>> = {};
    const before: Partial<Record<keyof typeof changes, unknown>> = {};
    const after: Partial<Record<keyof typeof changes, unknown>> = {};
    if (changes.status !== undefined) {
      set.status = changes.status;
      if (changes.status !== row.status) [before.status, after.status] = [row.status, changes.status];
    }
    if (changes.endTime !== undefined) {
      set.end_time = changes.endTime;
      const endTime = row.end_time === null ? null : Number(row.end_time);
      if (changes.endTime !== endTime) [before.endTime, after.endTime] = [endTime, changes.endTime];
    }
    if (changes.runName !== undefined) {
      set.name = changes.runName;
      if (changes.runName !== row.name) [before.runName, after.runName] = [row.name, changes.runName];
      // The tag before the run row: the same lock order as logBatch, which writes tags first.
      await trx
        .insertInto('tags')
        .values({ run_uuid: runId, key: runNameTag, value: changes.runName })
        .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet({ value: changes.runName }))
        .execute();
    }
    if (Object.keys(set).length > 0) {
      await trx.updateTable('runs').set(set).where('run_uuid', '=', runId).execute();
    }
    if (Object.keys(after).length > 0) {
      const workspace = await workspaceOfExperiment({ db: trx, caps: source.caps }, row.experiment_id);
      await appendAuditEvent(
        trx,
        {
          action: 'run.update',
          objectType: 'run',
          objectId: runId,
          workspace: workspace ?? null,
          before,
          after,
        },
        stamp,
        Date.now(),
        source.caps,
      );
    }
    return runInfoFromRow({ ...row, ...set });
  });
}

export async function deleteRun(
  source: SqlSource,
  runId: string,
  now: number,
  stamp: AuditStamp = systemStamp,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const deleted = await trx
      .updateTable('runs')
      .set({ lifecycle_stage: 'deleted', deleted_time: now })
      .where('run_uuid', '=', runId)
      .where('lifecycle_stage', '=', 'active')
      .returning('experiment_id')
      .executeTakeFirst();
    // Deleting a deleted run keeps its first deletion time, and records nothing.
    if (!deleted) {
      await requireRun(trx, runId);
      return;
    }
    const workspace = await workspaceOfExperiment({ db: trx, caps: source.caps }, deleted.experiment_id);
    await appendAuditEvent(
      trx,
      lifecycleEvent('run.delete', runId, workspace ?? null, 'active', 'deleted'),
      stamp,
      now,
      source.caps,
    );
  });
}

/**
 * Restores a run whose experiment is active (`INVALID_PARAMETER_VALUE` otherwise): a run of a
 * deleted experiment comes back with its experiment, never alone, so purging a deleted experiment
 * never takes an active run with it. Restoring an active run changes nothing and records nothing.
 */
export async function restoreRun(
  source: SqlSource,
  runId: string,
  stamp: AuditStamp = systemStamp,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const run = await requireRun(trx, runId);
    const experiment = await lockRows(
      trx
        .selectFrom('experiments')
        .select(['lifecycle_stage', 'workspace'])
        .where('experiment_id', '=', run.experiment_id),
      source.caps,
      'share',
    ).executeTakeFirstOrThrow();
    if (experiment.lifecycle_stage !== 'active') {
      throw experimentNotActive(String(run.experiment_id), experiment.lifecycle_stage);
    }
    if (run.lifecycle_stage === 'active') return;
    await trx
      .updateTable('runs')
      .set({ lifecycle_stage: 'active', deleted_time: null })
      .where('run_uuid', '=', runId)
      .execute();
    await appendAuditEvent(
      trx,
      lifecycleEvent('run.restore', runId, experiment.workspace, run.lifecycle_stage, 'active'),
      stamp,
      Date.now(),
      source.caps,
    );
  });
}

export async function deleteTag(source: SqlSource, runId: string, key: string): Promise<void> {
  await inTransaction(source, async (trx) => {
    await requireActiveRun(trx, runId);
    const result = await trx
      .deleteFrom('tags')
      .where('run_uuid', '=', runId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) {
      throw new KeelError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in run with id ${runId}`);
    }
  });
}

export async function logInputs(
  source: SqlSource,
  runId: string,
  inputs: { datasets: DatasetInput[]; models: ModelInput[] },
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const run = await requireActiveRun(trx, runId);
    const byIdentity = new Map<string, DatasetInput>();
    for (const input of inputs.datasets) {
      byIdentity.set(JSON.stringify([input.dataset.name, input.dataset.digest]), input);
    }
    const datasets = [...byIdentity.values()].sort(
      (a, b) =>
        compareKeys(a.dataset.name, b.dataset.name) || compareKeys(a.dataset.digest, b.dataset.digest),
    );
    for (const slice of chunked(datasets, rowsPerStatement(source.caps, 8))) {
      await trx
        .insertInto('datasets')
        .values(
          slice.map(({ dataset }) => ({
            dataset_uuid: newDatasetUuid(),
            experiment_id: run.experiment_id,
            name: dataset.name,
            digest: dataset.digest,
            source_type: dataset.sourceType,
            source: dataset.source,
            schema: dataset.schema ?? null,
            profile: dataset.profile ?? null,
          })),
        )
        .onConflict((oc) => oc.columns(['experiment_id', 'name', 'digest']).doNothing())
        .execute();
      // Each (name, digest) has one dataset per experiment, whether just made or logged before.
      // Names IN and digests IN select a few more pairs than asked; the map below ignores them.
      const stored = await trx
        .selectFrom('datasets')
        .select(['dataset_uuid', 'name', 'digest'])
        .where('experiment_id', '=', run.experiment_id)
        .where('name', 'in', [...new Set(slice.map(({ dataset }) => dataset.name))])
        .where('digest', 'in', [...new Set(slice.map(({ dataset }) => dataset.digest))])
        .execute();
      const uuidOf = new Map(stored.map((row) => [JSON.stringify([row.name, row.digest]), row.dataset_uuid]));
      const links = slice.map((input) => ({
        input,
        datasetUuid: uuidOf.get(JSON.stringify([input.dataset.name, input.dataset.digest]))!,
      }));
      const linked = await trx
        .insertInto('run_dataset_inputs')
        .values(links.map((link) => ({ run_uuid: runId, dataset_uuid: link.datasetUuid })))
        .onConflict((oc) => oc.doNothing())
        .returning('dataset_uuid')
        .execute();
      // Tags come with the first logging of a dataset to a run; logging it again is a no-op.
      const fresh = new Set(linked.map((row) => row.dataset_uuid));
      const tagRows = links
        .filter((link) => fresh.has(link.datasetUuid))
        .flatMap((link) =>
          lastValuePerKey(link.input.tags).map((tag) => ({
            run_uuid: runId,
            dataset_uuid: link.datasetUuid,
            key: tag.key,
            value: tag.value,
          })),
        );
      for (const tagSlice of chunked(tagRows, rowsPerStatement(source.caps, 4))) {
        await trx.insertInto('run_dataset_input_tags').values(tagSlice).execute();
      }
    }
    const modelIds = [...new Set(inputs.models.map((model) => model.modelId))].sort(compareKeys);
    for (const slice of chunked(modelIds, rowsPerStatement(source.caps, 2))) {
      await trx
        .insertInto('run_model_inputs')
        .values(slice.map((modelId) => ({ run_uuid: runId, model_id: modelId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}

export async function logOutputs(source: SqlSource, runId: string, models: ModelOutput[]): Promise<void> {
  await inTransaction(source, async (trx) => {
    await requireActiveRun(trx, runId);
    const byModel = new Map(models.map((model) => [model.modelId, model]));
    const rows = [...byModel.values()]
      .sort((a, b) => compareKeys(a.modelId, b.modelId))
      .map((model) => ({ run_uuid: runId, model_id: model.modelId, step: model.step }));
    for (const slice of chunked(rows, rowsPerStatement(source.caps, 3))) {
      await trx
        .insertInto('run_model_outputs')
        .values(slice)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}
