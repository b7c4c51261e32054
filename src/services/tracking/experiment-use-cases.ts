import type { AuditStamp } from '../../core/audit/index.js';
import type { ReadableObjects } from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import {
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseViewType,
  resolveMaxResults,
  SEARCH_EXPERIMENTS_MAX_RESULTS,
  validateExperimentName,
  validateExperimentTag,
  type Experiment,
  type Page,
  type Tag,
} from '../../core/tracking/index.js';
import type { TrackingContext } from './tracking-context.js';

export interface CreateExperimentInput {
  name: string;
  /** Where the experiment's artifacts go; `mlflow-artifacts:/<id>` (served by Keel) when absent. */
  artifactLocation?: string;
  tags?: Tag[];
}

export interface SearchExperimentsInput {
  filter?: string;
  orderBy?: string[];
  /** `ACTIVE_ONLY` (default), `DELETED_ONLY`, `ALL`, or MLflow's numbers 1, 2, 3. */
  viewType?: string | number;
  /** 1 to 50,000; 1000 when absent. */
  maxResults?: number;
  pageToken?: string;
}

/** The default artifact location: the artifact proxy, so clients never need the server's disk. */
export function defaultExperimentArtifactLocation(experimentId: string): string {
  return `mlflow-artifacts:/${experimentId}`;
}

function checkArtifactLocation(location: string | undefined): string | undefined {
  if (location === undefined || location.trim() === '') return undefined;
  const trimmed = location.trim();
  if (trimmed.toLowerCase().startsWith('runs:')) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid artifact location '${trimmed}': an experiment's artifact location cannot be a runs:/ URI.`,
    );
  }
  return trimmed;
}

export async function createExperiment(
  ctx: TrackingContext,
  workspace: string,
  input: CreateExperimentInput,
  stamp: AuditStamp,
): Promise<string> {
  const name = validateExperimentName(input.name);
  const tags = (input.tags ?? []).map(validateExperimentTag);
  const location = checkArtifactLocation(input.artifactLocation);
  return ctx.store.createExperiment(
    {
      workspace,
      name,
      tags,
      artifactLocation: (experimentId) => location ?? defaultExperimentArtifactLocation(experimentId),
      now: ctx.now(),
    },
    stamp,
  );
}

export function experimentNameNotFound(name: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`);
}

export async function getExperimentByName(
  ctx: TrackingContext,
  workspace: string,
  name: string,
): Promise<Experiment> {
  const experiment = await ctx.store.getExperimentByName(workspace, name);
  if (!experiment) throw experimentNameNotFound(name);
  return experiment;
}

/**
 * The experiments of `workspace` that match; with `readable`, only those (the store filters in
 * SQL, so neither counts nor page boundaries tell that others exist).
 */
export async function searchExperiments(
  ctx: TrackingContext,
  workspace: string,
  readable: ReadableObjects | undefined,
  input: SearchExperimentsInput,
): Promise<Page<Experiment>> {
  const maxResults = resolveMaxResults(input.maxResults ?? 1000, SEARCH_EXPERIMENTS_MAX_RESULTS);
  return ctx.store.searchExperiments({
    workspace,
    readable,
    filter: parseExperimentFilter(input.filter),
    orderBy: parseExperimentOrderBy(input.orderBy),
    viewType: parseViewType(input.viewType),
    maxResults,
    pageToken: input.pageToken || undefined,
  });
}

export async function renameExperiment(
  ctx: TrackingContext,
  experimentId: string,
  newName: string,
  stamp: AuditStamp,
): Promise<void> {
  await ctx.store.renameExperiment(experimentId, validateExperimentName(newName), ctx.now(), stamp);
}

export async function setExperimentTag(ctx: TrackingContext, experimentId: string, tag: Tag): Promise<void> {
  await ctx.store.setExperimentTag(experimentId, validateExperimentTag(tag));
}
