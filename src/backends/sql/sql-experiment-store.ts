import { systemStamp, type AuditRecord, type AuditStamp } from '../../core/audit/index.js';
import { KeelError } from '../../core/errors.js';
import type { Experiment, Tag } from '../../core/tracking/index.js';
import { translateDriverError } from './driver-errors.js';
import { parseExperimentId } from './entity-ids.js';
import { lockRows, type SqlCapabilities } from './dialect.js';
import { loadExperiments, type ExperimentRow } from './experiment-loader.js';
import { lastValuePerKey } from './key-order.js';
import { appendAuditEvent } from './sql-audit.js';
import { inTransaction, type Db, type SqlSource } from './sql-transaction.js';
import { chunked, rowsPerStatement } from './statement-chunks.js';

export function experimentNotFound(experimentId: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists`);
}

function alreadyExists(name: string): { alreadyExists: string } {
  return { alreadyExists: `Experiment '${name}' already exists.` };
}

/** The experiment's row, active or deleted; `RESOURCE_DOES_NOT_EXIST` when unknown. */
export async function requireExperiment(
  db: Db,
  experimentId: string,
  lock?: SqlCapabilities,
): Promise<ExperimentRow> {
  const id = parseExperimentId(experimentId);
  const query = db
    .selectFrom('experiments')
    .selectAll()
    .where('experiment_id', '=', id ?? -1);
  const row =
    id === undefined ? undefined : await (lock ? lockRows(query, lock, 'share') : query).executeTakeFirst();
  if (!row) throw experimentNotFound(experimentId);
  return row;
}

/**
 * As `requireExperiment`, and `INVALID_PARAMETER_VALUE` when the experiment is deleted. In a write
 * transaction, `lock` locks the row for share (where the engine needs it) so it stays active until commit.
 */
export async function requireActiveExperiment(
  db: Db,
  experimentId: string,
  lock?: SqlCapabilities,
): Promise<ExperimentRow> {
  const row = await requireExperiment(db, experimentId, lock);
  if (row.lifecycle_stage !== 'active') throw experimentNotActive(experimentId, row.lifecycle_stage);
  return row;
}

export function experimentNotActive(experimentId: string, lifecycleStage: string): KeelError {
  return new KeelError(
    'INVALID_PARAMETER_VALUE',
    `The experiment ${experimentId} must be in the 'active' state. Current state is ${lifecycleStage}.`,
  );
}

export async function createExperiment(
  source: SqlSource,
  input: {
    workspace: string;
    name: string;
    tags: Tag[];
    artifactLocation: (experimentId: string) => string;
    now: number;
  },
  stamp: AuditStamp = systemStamp,
): Promise<string> {
  try {
    return await inTransaction(source, async (trx) => {
      const { experiment_id } = await trx
        .insertInto('experiments')
        .values({
          workspace: input.workspace,
          name: input.name,
          artifact_location: '',
          lifecycle_stage: 'active',
          creation_time: input.now,
          last_update_time: input.now,
          deleted_time: null,
        })
        .returning('experiment_id')
        .executeTakeFirstOrThrow();
      const experimentId = String(experiment_id);
      const artifactLocation = input.artifactLocation(experimentId);
      await trx
        .updateTable('experiments')
        .set({ artifact_location: artifactLocation })
        .where('experiment_id', '=', experiment_id)
        .execute();
      for (const slice of chunked(lastValuePerKey(input.tags), rowsPerStatement(source.caps, 3))) {
        await trx
          .insertInto('experiment_tags')
          .values(slice.map((tag) => ({ experiment_id, key: tag.key, value: tag.value })))
          .execute();
      }
      await appendAuditEvent(
        trx,
        {
          action: 'experiment.create',
          objectType: 'experiment',
          objectId: experimentId,
          workspace: input.workspace,
          before: null,
          after: { name: input.name, artifactLocation },
        },
        stamp,
        input.now,
        source.caps,
      );
      return experimentId;
    });
  } catch (error) {
    throw translateDriverError(error, {
      ...alreadyExists(input.name),
      missingReference: `Workspace '${input.workspace}' not found`,
    });
  }
}

export async function getExperiment(source: SqlSource, experimentId: string): Promise<Experiment> {
  const id = parseExperimentId(experimentId);
  const [experiment] = id === undefined ? [] : await loadExperiments(source, [id]);
  if (!experiment) throw experimentNotFound(experimentId);
  return experiment;
}

export async function getExperimentByName(
  source: SqlSource,
  workspace: string,
  name: string,
): Promise<Experiment | undefined> {
  const row = await source.db
    .selectFrom('experiments')
    .select('experiment_id')
    .where('workspace', '=', workspace)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) return undefined;
  const [experiment] = await loadExperiments(source, [Number(row.experiment_id)]);
  return experiment;
}

/**
 * Renames an active experiment. The row is read (locked for update) before it changes so the event
 * can say what the name was (a rename to the same name records none); the unique index on
 * (workspace, name) refuses a name its workspace already has.
 */
export async function renameExperiment(
  source: SqlSource,
  experimentId: string,
  newName: string,
  now: number,
  stamp: AuditStamp = systemStamp,
): Promise<void> {
  const id = parseExperimentId(experimentId);
  if (id === undefined) throw experimentNotFound(experimentId);
  try {
    await inTransaction(source, async (trx) => {
      const row = await lockRows(
        trx
          .selectFrom('experiments')
          .select(['name', 'workspace', 'lifecycle_stage'])
          .where('experiment_id', '=', id),
        source.caps,
        'update',
      ).executeTakeFirst();
      if (!row) throw experimentNotFound(experimentId);
      if (row.lifecycle_stage !== 'active') {
        throw new KeelError(
          'INVALID_STATE',
          `Cannot rename experiment ${experimentId} ('${row.name}') because it is deleted; restore it first.`,
        );
      }
      await trx
        .updateTable('experiments')
        .set({ name: newName, last_update_time: now })
        .where('experiment_id', '=', id)
        .execute();
      // The same name again changes nothing the trail records.
      if (row.name === newName) return;
      await appendAuditEvent(
        trx,
        {
          action: 'experiment.rename',
          objectType: 'experiment',
          objectId: experimentId,
          workspace: row.workspace,
          before: { name: row.name },
          after: { name: newName },
        },
        stamp,
        now,
        source.caps,
      );
    });
  } catch (error) {
    throw translateDriverError(error, alreadyExists(newName));
  }
}

export async function deleteExperiment(
  source: SqlSource,
  experimentId: string,
  now: number,
  stamp: AuditStamp = systemStamp,
): Promise<void> {
  const id = parseExperimentId(experimentId);
  if (id === undefined) throw experimentNotFound(experimentId);
  await inTransaction(source, async (trx) => {
    const deleted = await trx
      .updateTable('experiments')
      .set({ lifecycle_stage: 'deleted', deleted_time: now, last_update_time: now })
      .where('experiment_id', '=', id)
      .where('lifecycle_stage', '=', 'active')
      .returning('workspace')
      .executeTakeFirst();
    if (!deleted) throw experimentNotFound(experimentId);
    // The runs share the experiment's deleted_time: restoring it restores exactly these.
    await trx
      .updateTable('runs')
      .set({ lifecycle_stage: 'deleted', deleted_time: now })
      .where('experiment_id', '=', id)
      .where('lifecycle_stage', '=', 'active')
      .execute();
    await appendAuditEvent(
      trx,
      lifecycleEvent('experiment.delete', experimentId, deleted.workspace, 'active', 'deleted'),
      stamp,
      now,
      source.caps,
    );
  });
}

export async function restoreExperiment(
  source: SqlSource,
  experimentId: string,
  now: number,
  stamp: AuditStamp = systemStamp,
): Promise<void> {
  const id = parseExperimentId(experimentId);
  if (id === undefined) throw experimentNotFound(experimentId);
  await inTransaction(source, async (trx) => {
    await trx
      .updateTable('runs')
      .set({ lifecycle_stage: 'active', deleted_time: null })
      .where('experiment_id', '=', id)
      .where('lifecycle_stage', '=', 'deleted')
      .where('deleted_time', '=', (eb) =>
        eb
          .selectFrom('experiments')
          .select('deleted_time')
          .where('experiment_id', '=', id)
          .where('lifecycle_stage', '=', 'deleted'),
      )
      .execute();
    const restored = await trx
      .updateTable('experiments')
      .set({ lifecycle_stage: 'active', deleted_time: null, last_update_time: now })
      .where('experiment_id', '=', id)
      .where('lifecycle_stage', '=', 'deleted')
      .returning('workspace')
      .executeTakeFirst();
    if (!restored) throw experimentNotFound(experimentId);
    await appendAuditEvent(
      trx,
      lifecycleEvent('experiment.restore', experimentId, restored.workspace, 'deleted', 'active'),
      stamp,
      now,
      source.caps,
    );
  });
}

/** The event of an experiment's or a run's move between lifecycle stages. */
export function lifecycleEvent(
  action: 'experiment.delete' | 'experiment.restore' | 'run.delete' | 'run.restore',
  objectId: string,
  workspace: string | null,
  before: string,
  after: string,
): AuditRecord {
  return {
    action,
    objectType: action.startsWith('run.') ? 'run' : 'experiment',
    objectId,
    workspace,
    before: { lifecycleStage: before },
    after: { lifecycleStage: after },
  };
}

export async function setExperimentTag(source: SqlSource, experimentId: string, tag: Tag): Promise<void> {
  await inTransaction(source, async (trx) => {
    const row = await requireActiveExperiment(trx, experimentId);
    await trx
      .insertInto('experiment_tags')
      .values({ experiment_id: row.experiment_id, key: tag.key, value: tag.value })
      .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value: tag.value }))
      .execute();
  });
}

export async function deleteExperimentTag(
  source: SqlSource,
  experimentId: string,
  key: string,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const row = await requireActiveExperiment(trx, experimentId);
    const result = await trx
      .deleteFrom('experiment_tags')
      .where('experiment_id', '=', row.experiment_id)
      .where('key', '=', key)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) {
      throw new KeelError(
        'RESOURCE_DOES_NOT_EXIST',
        `No tag with name: ${key} in experiment with id ${experimentId}`,
      );
    }
  });
}
