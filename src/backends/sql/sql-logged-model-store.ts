import { systemStamp, type AuditStamp } from '../../core/audit/index.js';
import { KeelError } from '../../core/errors.js';
import type { LoggedModel, LoggedModelStatus, Param, Tag } from '../../core/tracking/index.js';
import { newLoggedModelId } from './entity-ids.js';
import { lastValuePerKey } from './key-order.js';
import {
  loadLoggedModels,
  loggedModelFromRow,
  loggedModelNotFound,
  type LoggedModelRow,
} from './logged-model-loader.js';
import { lockRows } from './dialect.js';
import { appendAuditEvent } from './sql-audit.js';
import { requireActiveExperiment } from './sql-experiment-store.js';
import { workspaceOfExperiment } from './sql-ownership.js';
import { inTransaction, type Db, type SqlSource, type Trx } from './sql-transaction.js';
import { chunked, rowsPerStatement } from './statement-chunks.js';
import { writeOnceParams } from './write-once-params.js';

// A deleted logged model is gone for every operation, as in MLflow: only search's deleted view and
// `keel gc` still see its row.

export async function createLoggedModel(
  source: SqlSource,
  input: {
    experimentId: string;
    name: string;
    modelType?: string;
    sourceRunId?: string;
    params: Param[];
    tags: Tag[];
    artifactUri: (modelId: string, experimentArtifactLocation: string) => string;
    now: number;
  },
  stamp: AuditStamp = systemStamp,
): Promise<LoggedModel> {
  return inTransaction(source, async (trx) => {
    const experiment = await requireActiveExperiment(trx, input.experimentId, source.caps);
    const modelId = newLoggedModelId();
    const row: LoggedModelRow = {
      model_id: modelId,
      experiment_id: experiment.experiment_id,
      name: input.name,
      artifact_location: input.artifactUri(modelId, experiment.artifact_location),
      creation_timestamp_ms: input.now,
      last_updated_timestamp_ms: input.now,
      status: 'LOGGED_MODEL_PENDING',
      status_message: null,
      model_type: input.modelType ?? null,
      source_run_id: input.sourceRunId ?? null,
      lifecycle_stage: 'active',
      deleted_time: null,
    };
    await trx.insertInto('logged_models').values(row).execute();
    if (input.params.length > 0) {
      await writeOnceParams(trx, source.caps, { table: 'logged_model_params', id: modelId }, input.params);
    }
    const tags = lastValuePerKey(input.tags);
    await upsertTags(trx, source.caps, modelId, tags);
    await appendAuditEvent(
      trx,
      {
        action: 'logged_model.create',
        objectType: 'logged_model',
        objectId: modelId,
        workspace: experiment.workspace,
        before: null,
        after: { experimentId: input.experimentId, name: input.name, status: row.status },
      },
      stamp,
      input.now,
      source.caps,
    );
    const model = loggedModelFromRow(row);
    model.tags = tags.map((tag) => ({ key: tag.key, value: tag.value }));
    model.params = lastValuePerKey(input.params).map((param) => ({ key: param.key, value: param.value }));
    return model;
  });
}

async function upsertTags(
  trx: Trx,
  caps: SqlSource['caps'],
  modelId: string,
  tags: readonly Tag[],
): Promise<void> {
  for (const slice of chunked(tags, rowsPerStatement(caps, 3))) {
    await trx
      .insertInto('logged_model_tags')
      .values(slice.map((tag) => ({ model_id: modelId, key: tag.key, value: tag.value })))
      .onConflict((oc) =>
        oc.columns(['model_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
  }
}

async function requireActiveModel(db: Db, modelId: string): Promise<void> {
  const row = await db
    .selectFrom('logged_models')
    .select('model_id')
    .where('model_id', '=', modelId)
    .where('lifecycle_stage', '=', 'active')
    .executeTakeFirst();
  if (!row) throw loggedModelNotFound(modelId);
}

/** Marks the model updated at `now`; `RESOURCE_DOES_NOT_EXIST` when it is unknown or deleted. */
async function touchModel(db: Db, modelId: string, now: number, status?: LoggedModelStatus): Promise<void> {
  const result = await db
    .updateTable('logged_models')
    .set(
      status === undefined ? { last_updated_timestamp_ms: now } : { last_updated_timestamp_ms: now, status },
    )
    .where('model_id', '=', modelId)
    .where('lifecycle_stage', '=', 'active')
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw loggedModelNotFound(modelId);
}

export async function getLoggedModel(source: SqlSource, modelId: string): Promise<LoggedModel> {
  const [model] = await loadLoggedModels(source, [modelId]);
  if (!model || model.lifecycleStage !== 'active') throw loggedModelNotFound(modelId);
  return model;
}

export async function finalizeLoggedModel(
  source: SqlSource,
  modelId: string,
  status: LoggedModelStatus,
  now: number,
  stamp: AuditStamp = systemStamp,
): Promise<LoggedModel> {
  return inTransaction(source, async (trx) => {
    const current = await lockRows(
      trx
        .selectFrom('logged_models')
        .select(['status', 'experiment_id'])
        .where('model_id', '=', modelId)
        .where('lifecycle_stage', '=', 'active'),
      source.caps,
      'update',
    ).executeTakeFirst();
    if (!current) throw loggedModelNotFound(modelId);
    await touchModel(trx, modelId, now, status);
    // Finalizing to the status it already has changes nothing the trail records.
    if (current.status === status) return getLoggedModel({ db: trx, caps: source.caps }, modelId);
    const workspace = await workspaceOfExperiment({ db: trx, caps: source.caps }, current.experiment_id);
    await appendAuditEvent(
      trx,
      {
        action: 'logged_model.finalize',
        objectType: 'logged_model',
        objectId: modelId,
        workspace: workspace ?? null,
        before: { status: current.status },
        after: { status },
      },
      stamp,
      now,
      source.caps,
    );
    return getLoggedModel({ db: trx, caps: source.caps }, modelId);
  });
}

export async function deleteLoggedModel(
  source: SqlSource,
  modelId: string,
  now: number,
  stamp: AuditStamp = systemStamp,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const deleted = await trx
      .updateTable('logged_models')
      .set({ lifecycle_stage: 'deleted', deleted_time: now, last_updated_timestamp_ms: now })
      .where('model_id', '=', modelId)
      .where('lifecycle_stage', '=', 'active')
      .returning('experiment_id')
      .executeTakeFirst();
    if (!deleted) throw loggedModelNotFound(modelId);
    const workspace = await workspaceOfExperiment({ db: trx, caps: source.caps }, deleted.experiment_id);
    await appendAuditEvent(
      trx,
      {
        action: 'logged_model.delete',
        objectType: 'logged_model',
        objectId: modelId,
        workspace: workspace ?? null,
        before: { lifecycleStage: 'active' },
        after: { lifecycleStage: 'deleted' },
      },
      stamp,
      now,
      source.caps,
    );
  });
}

export async function setLoggedModelTags(
  source: SqlSource,
  modelId: string,
  tags: Tag[],
  now: number,
): Promise<LoggedModel> {
  return inTransaction(source, async (trx) => {
    await touchModel(trx, modelId, now);
    await upsertTags(trx, source.caps, modelId, lastValuePerKey(tags));
    return getLoggedModel({ db: trx, caps: source.caps }, modelId);
  });
}

export async function deleteLoggedModelTag(source: SqlSource, modelId: string, key: string): Promise<void> {
  await inTransaction(source, async (trx) => {
    await requireActiveModel(trx, modelId);
    const result = await trx
      .deleteFrom('logged_model_tags')
      .where('model_id', '=', modelId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) {
      throw new KeelError(
        'RESOURCE_DOES_NOT_EXIST',
        `No tag with key: ${key} in logged model with ID '${modelId}'`,
      );
    }
  });
}

export async function logLoggedModelParams(
  source: SqlSource,
  modelId: string,
  params: Param[],
): Promise<void> {
  await inTransaction(source, async (trx) => {
    await requireActiveModel(trx, modelId);
    await writeOnceParams(trx, source.caps, { table: 'logged_model_params', id: modelId }, params);
  });
}
