import type { AuditStamp } from '../../core/audit/index.js';
import { KeelError } from '../../core/errors.js';
import {
  checkListLength,
  generateRunName,
  MAX_SEARCH_EXPERIMENT_IDS,
  parseRunFilter,
  parseRunOrderBy,
  parseRunStatus,
  parseViewType,
  resolveMaxResults,
  runStatuses,
  SEARCH_RUNS_MAX_RESULTS,
  validateTag,
  type Page,
  type Run,
  type RunInfo,
  type RunStatus,
  type Tag,
} from '../../core/tracking/index.js';
import type { TrackingContext, VisibleFilter } from './tracking-context.js';

export const runNameTag = 'mlflow.runName';
export const userTag = 'mlflow.user';

export interface CreateRunInput {
  /** The Default experiment "0" when absent. */
  experimentId?: string;
  /** Also read from the `mlflow.user` tag; written to it when only this is given. */
  userId?: string;
  /** Also read from the `mlflow.runName` tag; a generated `adjective-noun-123` when neither is given. */
  runName?: string;
  /** Epoch ms; now when absent. */
  startTime?: number;
  tags?: Tag[];
}

export interface UpdateRunInput {
  /** A RunStatus name, or its proto number (1 RUNNING ... 5 KILLED). */
  status?: string | number;
  endTime?: number;
  /** Renames the run and rewrites its `mlflow.runName` tag; an empty name changes nothing. */
  runName?: string;
}

export interface SearchRunsInput {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  runViewType?: string | number;
  /** 1 to 50,000; 1000 when absent. */
  maxResults?: number;
  pageToken?: string;
}

function lastTagValue(tags: readonly Tag[], key: string): string | undefined {
  let value: string | undefined;
  for (const tag of tags) if (tag.key === key) value = tag.value;
  return value;
}

function resolveRunName(given: string | undefined, tags: readonly Tag[]): string {
  const fromTag = lastTagValue(tags, runNameTag);
  if (given && fromTag !== undefined && given !== fromTag) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${given}', mlflow.runName='${fromTag}').`,
    );
  }
  return given || fromTag || generateRunName();
}

/** `<experiment artifact location>/<run id>/artifacts`, as MLflow lays runs out. */
export function runArtifactUri(experimentLocation: string, runId: string): string {
  return `${experimentLocation.replace(/\/+$/, '')}/${runId}/artifacts`;
}

export async function createRun(
  ctx: TrackingContext,
  input: CreateRunInput,
  stamp: AuditStamp,
): Promise<Run> {
  const tags = (input.tags ?? []).map((tag, index) => validateTag(tag, `tags[${index}]`));
  const runName = resolveRunName(input.runName, tags);
  const userId = input.userId || lastTagValue(tags, userTag) || '';
  // The run's tags, as MLflow writes them: the name always in `mlflow.runName`, the user in
  // `mlflow.user` unless a tag already says who. The store writes the tags it is given.
  const runTags = tags.filter((tag) => tag.key !== runNameTag);
  if (userId !== '' && !runTags.some((tag) => tag.key === userTag))
    runTags.push({ key: userTag, value: userId });
  runTags.push({ key: runNameTag, value: runName });
  // The store checks that the experiment exists and is active, in the transaction that writes.
  return ctx.store.createRun(
    {
      experimentId: input.experimentId || '0',
      userId,
      runName,
      startTime: input.startTime ?? ctx.now(),
      tags: runTags,
      artifactUri: (runId, experimentLocation) => runArtifactUri(experimentLocation, runId),
    },
    stamp,
  );
}

function toRunStatus(status: string | number): RunStatus {
  if (typeof status === 'number') {
    const byNumber = runStatuses[status - 1];
    if (Number.isInteger(status) && byNumber !== undefined) return byNumber;
  }
  return parseRunStatus(status);
}

export async function updateRun(
  ctx: TrackingContext,
  runId: string,
  input: UpdateRunInput,
  stamp: AuditStamp,
): Promise<RunInfo> {
  const changes: { status?: RunStatus; endTime?: number; runName?: string } = {};
  if (input.status !== undefined && input.status !== '') changes.status = toRunStatus(input.status);
  if (input.endTime !== undefined) changes.endTime = input.endTime;
  if (input.runName) changes.runName = validateTag({ key: runNameTag, value: input.runName }).value;
  return ctx.store.updateRun(runId, changes, stamp);
}

/** `visible` keeps the experiments the caller may read; the others are left out as if absent. */
export async function searchRuns(
  ctx: TrackingContext,
  input: SearchRunsInput,
  visible?: VisibleFilter,
): Promise<Page<Run>> {
  checkListLength(input.experimentIds, 'experiment_ids', MAX_SEARCH_EXPERIMENT_IDS);
  const maxResults = resolveMaxResults(input.maxResults, SEARCH_RUNS_MAX_RESULTS);
  const filter = parseRunFilter(input.filter);
  const orderBy = parseRunOrderBy(input.orderBy);
  const viewType = parseViewType(input.runViewType, 'run_view_type');
  // MLflow answers an empty experiment list with an empty result, not an error.
  const experimentIds = visible ? await visible(input.experimentIds) : input.experimentIds;
  if (experimentIds.length === 0) return { items: [] };
  return ctx.store.searchRuns({
    experimentIds,
    filter,
    orderBy,
    viewType,
    maxResults,
    pageToken: input.pageToken || undefined,
  });
}
