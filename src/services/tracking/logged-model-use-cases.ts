import type { AuditStamp } from '../../core/audit/index.js';
import { KeelError } from '../../core/errors.js';
import {
  checkListLength,
  generateRunName,
  MAX_SEARCH_DATASETS,
  MAX_SEARCH_EXPERIMENT_IDS,
  invalidValueMessage,
  loggedModelStatuses,
  parseLoggedModelFilter,
  parseLoggedModelOrderBy,
  parseLoggedModelStatus,
  resolveMaxResults,
  SEARCH_LOGGED_MODELS_MAX_RESULTS,
  validateLoggedModelName,
  validateParam,
  validateTag,
  type LoggedModel,
  type LoggedModelStatus,
  type Page,
  type Param,
  type Tag,
} from '../../core/tracking/index.js';
import type { TrackingContext, VisibleFilter } from './tracking-context.js';

export interface CreateLoggedModelInput {
  experimentId: string;
  /** A generated `adjective-noun-123` when absent. */
  name?: string;
  modelType?: string;
  sourceRunId?: string;
  params?: Param[];
  tags?: Tag[];
}

export interface LoggedModelOrderInput {
  /** An attribute (`creation_timestamp`, `name`, ...) or `metrics.<key>`. */
  fieldName: string;
  ascending?: boolean;
  datasetName?: string;
  datasetDigest?: string;
}

export interface SearchLoggedModelsInput {
  experimentIds: string[];
  filter?: string;
  /** Scopes metric filters to these datasets. */
  datasets?: { datasetName: string; datasetDigest?: string }[];
  /** 1 to 1,000; 100 when absent. */
  maxResults?: number;
  orderBy?: LoggedModelOrderInput[];
  pageToken?: string;
}

/** `<experiment artifact location>/models/<model id>/artifacts`, as MLflow 3 lays models out. */
export function loggedModelArtifactUri(experimentLocation: string, modelId: string): string {
  return `${experimentLocation.replace(/\/+$/, '')}/models/${modelId}/artifacts`;
}

function validParams(params: readonly Param[] | undefined): Param[] {
  return (params ?? []).map((param, index) => validateParam(param, `params[${index}]`));
}

function validTags(tags: readonly Tag[] | undefined): Tag[] {
  return (tags ?? []).map((tag, index) => validateTag(tag, `tags[${index}]`));
}

export async function createLoggedModel(
  ctx: TrackingContext,
  input: CreateLoggedModelInput,
  stamp: AuditStamp,
): Promise<LoggedModel> {
  const name =
    input.name === undefined || input.name === '' ? generateRunName() : validateLoggedModelName(input.name);
  const params = validParams(input.params);
  const tags = validTags(input.tags);
  // The store checks that the experiment exists and is active, in the transaction that writes.
  return ctx.store.createLoggedModel(
    {
      experimentId: input.experimentId,
      name,
      modelType: input.modelType,
      sourceRunId: input.sourceRunId,
      params,
      tags,
      artifactUri: (modelId, experimentLocation) => loggedModelArtifactUri(experimentLocation, modelId),
      now: ctx.now(),
    },
    stamp,
  );
}

/** A status by name, or by its proto number (1 PENDING, 2 READY, 3 UPLOAD_FAILED); never UNSPECIFIED. */
function toLoggedModelStatus(status: string | number): LoggedModelStatus {
  const byNumber = typeof status === 'number' && status > 0 ? loggedModelStatuses[status] : undefined;
  const parsed = parseLoggedModelStatus(byNumber ?? status);
  if (parsed === 'LOGGED_MODEL_STATUS_UNSPECIFIED') {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      invalidValueMessage(
        'status',
        status,
        'Valid statuses are LOGGED_MODEL_PENDING, LOGGED_MODEL_READY, LOGGED_MODEL_UPLOAD_FAILED.',
      ),
    );
  }
  return parsed;
}

export async function finalizeLoggedModel(
  ctx: TrackingContext,
  modelId: string,
  status: string | number,
  stamp: AuditStamp,
): Promise<LoggedModel> {
  return ctx.store.finalizeLoggedModel(modelId, toLoggedModelStatus(status), ctx.now(), stamp);
}

export async function setLoggedModelTags(
  ctx: TrackingContext,
  modelId: string,
  tags: Tag[],
): Promise<LoggedModel> {
  return ctx.store.setLoggedModelTags(modelId, validTags(tags), ctx.now());
}

export async function logLoggedModelParams(
  ctx: TrackingContext,
  modelId: string,
  params: Param[],
): Promise<void> {
  await ctx.store.logLoggedModelParams(modelId, validParams(params));
}

/** `visible` keeps the experiments the caller may read; the others are left out as if absent. */
export async function searchLoggedModels(
  ctx: TrackingContext,
  input: SearchLoggedModelsInput,
  visible?: VisibleFilter,
): Promise<Page<LoggedModel>> {
  checkListLength(input.experimentIds, 'experiment_ids', MAX_SEARCH_EXPERIMENT_IDS);
  checkListLength(input.datasets, 'datasets', MAX_SEARCH_DATASETS);
  const maxResults = resolveMaxResults(input.maxResults, SEARCH_LOGGED_MODELS_MAX_RESULTS);
  const filter = parseLoggedModelFilter(input.filter);
  const orderBy = parseLoggedModelOrderBy(
    input.orderBy?.map((item) => ({
      field_name: item.fieldName,
      ascending: item.ascending,
      dataset_name: item.datasetName,
      dataset_digest: item.datasetDigest,
    })),
  );
  const experimentIds = visible ? await visible(input.experimentIds) : input.experimentIds;
  if (experimentIds.length === 0) return { items: [] };
  return ctx.store.searchLoggedModels({
    experimentIds,
    filter,
    orderBy,
    datasets: input.datasets ?? [],
    maxResults,
    pageToken: input.pageToken || undefined,
  });
}
