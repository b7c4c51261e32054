import { parseExperimentId } from './entity-ids.js';
import { QueryTemplate } from './query-template.js';
import type { SqlSource } from './sql-transaction.js';

/**
 * Which workspace (and experiment) an entity belongs to: the lookups every permission check makes
 * before it touches an entity, so each is one primary-key probe (runs and logged models joined to
 * their experiment), compiled once and run from SQLite's statement cache.
 */

export interface Owner {
  experimentId: string;
  workspace: string;
}

/** Longest id worth a lookup: Keel's run and logged model ids have 32 and 34 characters. */
const maxIdLength = 256;

const experimentWorkspaceQuery = new QueryTemplate((db, experimentId: number) =>
  db.selectFrom('experiments').select('workspace').where('experiment_id', '=', experimentId),
);

const runOwnerQuery = new QueryTemplate((db, runId: string) =>
  db
    .selectFrom('runs as r')
    .innerJoin('experiments as e', 'e.experiment_id', 'r.experiment_id')
    .select(['r.experiment_id', 'e.workspace'])
    .where('r.run_uuid', '=', runId),
);

const loggedModelOwnerQuery = new QueryTemplate((db, modelId: string) =>
  db
    .selectFrom('logged_models as m')
    .innerJoin('experiments as e', 'e.experiment_id', 'm.experiment_id')
    .select(['m.experiment_id', 'e.workspace'])
    .where('m.model_id', '=', modelId),
);

/** The experiment's workspace; `undefined` when unknown or not an experiment id. */
export async function experimentWorkspace(
  source: SqlSource,
  experimentId: string,
): Promise<string | undefined> {
  const id = parseExperimentId(experimentId);
  return id === undefined ? undefined : workspaceOfExperiment(source, id);
}

/** As `experimentWorkspace`, by the numeric key (what store code holds inside its transactions). */
export async function workspaceOfExperiment(
  { db, caps }: SqlSource,
  experimentId: number,
): Promise<string | undefined> {
  return (await experimentWorkspaceQuery.execute(db, caps, experimentId)).rows[0]?.workspace;
}

/** The run's experiment and workspace; `undefined` when unknown. */
export async function runOwner({ db, caps }: SqlSource, runId: string): Promise<Owner | undefined> {
  if (!isLookupId(runId)) return undefined;
  const row = (await runOwnerQuery.execute(db, caps, runId)).rows[0];
  return row && { experimentId: String(row.experiment_id), workspace: row.workspace };
}

/** The logged model's experiment and workspace; `undefined` when unknown (deleted ones included). */
export async function loggedModelOwner({ db, caps }: SqlSource, modelId: string): Promise<Owner | undefined> {
  if (!isLookupId(modelId)) return undefined;
  const row = (await loggedModelOwnerQuery.execute(db, caps, modelId)).rows[0];
  return row && { experimentId: String(row.experiment_id), workspace: row.workspace };
}

/** Ids no entity can have (empty, oversized, or with a NUL byte PostgreSQL refuses) are unknown. */
function isLookupId(id: string): boolean {
  return id.length > 0 && id.length <= maxIdLength && !id.includes('\u0000');
}
