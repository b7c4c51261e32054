import { systemStamp, type AuditRecord, type AuditStamp } from '../../core/audit/index.js';
import type { PurgedRows } from '../../core/tracking/index.js';
import { lockRows } from './dialect.js';
import { parseExperimentId } from './entity-ids.js';
import { appendAuditEvents } from './sql-audit.js';
import { inTransaction, type SqlSource, type Trx } from './sql-transaction.js';
import { chunked } from './statement-chunks.js';

export async function findPurgeable({ db }: SqlSource, deletedBefore: number): Promise<PurgedRows> {
  const [runs, experiments] = await Promise.all([
    db
      .selectFrom('runs')
      .select(['run_uuid', 'artifact_uri'])
      .where('lifecycle_stage', '=', 'deleted')
      .where('deleted_time', '<', deletedBefore)
      .orderBy('deleted_time')
      .orderBy('run_uuid')
      .execute(),
    db
      .selectFrom('experiments')
      .select(['experiment_id', 'artifact_location'])
      .where('lifecycle_stage', '=', 'deleted')
      .where('deleted_time', '<', deletedBefore)
      .orderBy('deleted_time')
      .orderBy('experiment_id')
      .execute(),
  ]);
  return {
    runs: runs.map((row) => ({ runId: row.run_uuid, artifactUri: row.artifact_uri })),
    experiments: experiments.map((row) => ({
      experimentId: String(row.experiment_id),
      artifactLocation: row.artifact_location,
    })),
  };
}

/**
 * Deletes the rows for good, in one transaction; foreign keys cascade to metrics, params, tags,
 * inputs, datasets and logged models. Each delete re-checks the state it needs (deleted, and before
 * `deletedBefore` when given), so an id restored in the meantime (or never deleted) is left alone,
 * and reports what it removed. The experiments are locked first (where the engine needs row locks)
 * so none is restored between taking its runs and taking its row. Every run and experiment removed
 * gets its `run.purge` / `experiment.purge` event in the same transaction.
 */
export async function purge(
  source: SqlSource,
  target: { runIds: string[]; experimentIds: string[]; deletedBefore?: number },
  stamp: AuditStamp = systemStamp,
): Promise<PurgedRows> {
  const { deletedBefore } = target;
  const experimentIds = target.experimentIds
    .map(parseExperimentId)
    .filter((id): id is number => id !== undefined);
  const size = Math.max(1, source.caps.maxBindParameters - 16);
  return inTransaction(source, async (trx) => {
    const purged: PurgedRows = { runs: [], experiments: [] };
    const events: AuditRecord[] = [];
    const workspaces = new Map<number, string>();
    for (const ids of chunked([...new Set(target.runIds)], size)) {
      let query = trx
        .deleteFrom('runs')
        .where('run_uuid', 'in', ids)
        .where('lifecycle_stage', '=', 'deleted');
      if (deletedBefore !== undefined) query = query.where('deleted_time', '<', deletedBefore);
      const rows = await query.returning(['run_uuid', 'artifact_uri', 'experiment_id']).execute();
      const unknown = [...new Set(rows.map((row) => row.experiment_id))].filter((id) => !workspaces.has(id));
      for (const row of await workspacesOf(trx, unknown)) workspaces.set(row.experiment_id, row.workspace);
      for (const row of rows) {
        purged.runs.push({ runId: row.run_uuid, artifactUri: row.artifact_uri });
        events.push(runPurged(row, workspaces.get(row.experiment_id) ?? null));
      }
    }
    for (const ids of chunked([...new Set(experimentIds)], size)) {
      let select = trx
        .selectFrom('experiments')
        .select(['experiment_id', 'workspace'])
        .where('experiment_id', 'in', ids)
        .where('lifecycle_stage', '=', 'deleted');
      if (deletedBefore !== undefined) select = select.where('deleted_time', '<', deletedBefore);
      const locked = await lockRows(select, source.caps, 'update').execute();
      if (locked.length === 0) continue;
      for (const row of locked) workspaces.set(row.experiment_id, row.workspace);
      const doomed = locked.map((row) => row.experiment_id);
      const runs = await trx
        .deleteFrom('runs')
        .where('experiment_id', 'in', doomed)
        .returning(['run_uuid', 'artifact_uri', 'experiment_id'])
        .execute();
      for (const row of runs) {
        purged.runs.push({ runId: row.run_uuid, artifactUri: row.artifact_uri });
        events.push(runPurged(row, workspaces.get(row.experiment_id) ?? null));
      }
      const rows = await trx
        .deleteFrom('experiments')
        .where('experiment_id', 'in', doomed)
        .returning(['experiment_id', 'artifact_location'])
        .execute();
      for (const row of rows) {
        const experimentId = String(row.experiment_id);
        purged.experiments.push({ experimentId, artifactLocation: row.artifact_location });
        events.push({
          action: 'experiment.purge',
          objectType: 'experiment',
          objectId: experimentId,
          workspace: workspaces.get(row.experiment_id) ?? null,
          before: { lifecycleStage: 'deleted', artifactLocation: row.artifact_location },
          after: null,
        });
      }
    }
    await appendAuditEvents(trx, events, stamp, Date.now(), source.caps);
    return purged;
  });
}

async function workspacesOf(
  trx: Trx,
  experimentIds: number[],
): Promise<{ experiment_id: number; workspace: string }[]> {
  if (experimentIds.length === 0) return [];
  return trx
    .selectFrom('experiments')
    .select(['experiment_id', 'workspace'])
    .where('experiment_id', 'in', experimentIds)
    .execute();
}

function runPurged(
  row: { run_uuid: string; artifact_uri: string; experiment_id: number },
  workspace: string | null,
): AuditRecord {
  return {
    action: 'run.purge',
    objectType: 'run',
    objectId: row.run_uuid,
    workspace,
    before: {
      lifecycleStage: 'deleted',
      experimentId: String(row.experiment_id),
      artifactUri: row.artifact_uri,
    },
    after: null,
  };
}
