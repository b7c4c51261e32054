import { KeelError } from '../core/errors.js';
import type {
  DatasetInput,
  Metric,
  ModelInput,
  Page,
  Param,
  Run,
  RunInfo,
  RunMetric,
  RunStatus,
  Tag,
  ViewType,
} from '../core/tracking/index.js';
import { batchEntries, splitBatch } from './batch-split.js';
import type { Batch } from './batch-split.js';
import type { SourceOptions } from './git-info.js';
import type { HttpTransport } from './http-transport.js';
import { iteratePages } from './page-iterator.js';
import {
  decodeMetric,
  decodeRun,
  decodeRunInfo,
  encodeDatasetInput,
  encodeMetric,
  toTagList,
} from './wire-format.js';
import type { TagsInput, WireMetric, WireRun, WireRunInfo } from './wire-format.js';

const base = '/api/2.0/mlflow';

/** The tag MLflow uses to nest a run under another. */
export const parentRunIdTag = 'mlflow.parentRunId';

export interface CreateRunOptions {
  /** Default `'0'`, MLflow's Default experiment. */
  experimentId?: string;
  /** The server generates one (`brave-owl-123`) when absent. */
  runName?: string;
  /** Epoch ms; default now. */
  startTime?: number;
  tags?: TagsInput;
  userId?: string;
  /** Nests the run under another (tag `mlflow.parentRunId`). */
  parentRunId?: string;
  /**
   * Tags the run with its source as MLflow's fluent client does (`mlflow.source.name`,
   * `mlflow.source.type` = LOCAL, `mlflow.user`) plus git commit, branch, repository URL and
   * `keel.source.git.dirty` when the working directory is a git repository. Explicit `tags` win.
   */
  captureGit?: boolean | SourceOptions;
}

export interface UpdateRunOptions {
  status?: RunStatus;
  /** Epoch ms. */
  endTime?: number;
  runName?: string;
}

export interface RunSearch {
  experimentIds: string[];
  /** MLflow's filter grammar, e.g. `metrics.rmse < 1 AND params.model = 'tree'`. */
  filter?: string;
  /** e.g. `['metrics.rmse ASC', 'start_time DESC']`. */
  orderBy?: string[];
  /** Default `ACTIVE_ONLY`. */
  viewType?: ViewType;
  /** Page size (default 1000, at most 50000). */
  maxResults?: number;
  pageToken?: string;
}

/** A metric point to log; `step` defaults to 0 and `timestamp` to now. */
export interface MetricInput {
  key: string;
  value: number;
  step?: number;
  timestamp?: number;
  modelId?: string;
  datasetName?: string;
  datasetDigest?: string;
}

export type ParamsInput = Record<string, string | number | boolean> | readonly Param[];

export interface LogBatchInput {
  metrics?: readonly MetricInput[];
  params?: ParamsInput;
  tags?: TagsInput;
}

const historyPageSize = 25_000;

/**
 * Reads a run's source tags (script, user, git commit) from where the process runs. `KeelClient`
 * passes the one in `git-info.ts`, which needs Node; a browser has none, so `captureGit` fails there.
 */
export type SourceTagCollector = (options: SourceOptions) => Promise<Tag[]>;

/** Runs and what is logged to them: `client.runs`. */
export class RunsApi {
  constructor(
    private readonly http: HttpTransport,
    private readonly collectSourceTags?: SourceTagCollector,
  ) {}

  async create(options: CreateRunOptions = {}): Promise<Run> {
    const tags = new Map<string, string>();
    if (options.captureGit) {
      if (this.collectSourceTags === undefined) {
        throw new KeelError('INVALID_PARAMETER_VALUE', 'captureGit needs a client running in Node');
      }
      const sourceOptions = options.captureGit === true ? {} : options.captureGit;
      for (const tag of await this.collectSourceTags(sourceOptions)) tags.set(tag.key, tag.value);
    }
    if (options.parentRunId !== undefined) tags.set(parentRunIdTag, options.parentRunId);
    for (const tag of toTagList(options.tags)) tags.set(tag.key, tag.value);

    const body: Record<string, unknown> = {
      experiment_id: options.experimentId ?? '0',
      start_time: options.startTime ?? Date.now(),
      tags: [...tags].map(([key, value]) => ({ key, value })),
    };
    const userId = options.userId ?? tags.get('mlflow.user');
    if (userId !== undefined) body.user_id = userId;
    if (options.runName !== undefined) body.run_name = options.runName;
    const response = await this.http.sendJson<{ run?: WireRun }>(`${base}/runs/create`, body);
    return decodeRun(response.run ?? {});
  }

  /** An active or deleted run with its latest metrics, params, tags and inputs. */
  async get(runId: string): Promise<Run> {
    const response = await this.http.getJson<{ run?: WireRun }>(`${base}/runs/get`, { run_id: runId });
    return decodeRun(response.run ?? {});
  }

  async update(runId: string, update: UpdateRunOptions): Promise<RunInfo> {
    const body: Record<string, unknown> = { run_id: runId };
    if (update.status !== undefined) body.status = update.status;
    if (update.endTime !== undefined) body.end_time = update.endTime;
    if (update.runName !== undefined) body.run_name = update.runName;
    const response = await this.http.sendJson<{ run_info?: WireRunInfo }>(`${base}/runs/update`, body);
    return decodeRunInfo(response.run_info ?? {});
  }

  /** Ends a run: `FINISHED` (or the given status) at `endTime` (default now). */
  terminate(runId: string, status: RunStatus = 'FINISHED', endTime: number = Date.now()): Promise<RunInfo> {
    return this.update(runId, { status, endTime });
  }

  async delete(runId: string): Promise<void> {
    await this.http.sendJson(`${base}/runs/delete`, { run_id: runId });
  }

  async restore(runId: string): Promise<void> {
    await this.http.sendJson(`${base}/runs/restore`, { run_id: runId });
  }

  /** One page of runs. */
  async search(query: RunSearch): Promise<Page<Run>> {
    const body: Record<string, unknown> = {
      experiment_ids: query.experimentIds,
      run_view_type: query.viewType ?? 'ACTIVE_ONLY',
      max_results: query.maxResults ?? 1000,
    };
    if (query.filter) body.filter = query.filter;
    if (query.orderBy?.length) body.order_by = query.orderBy;
    if (query.pageToken) body.page_token = query.pageToken;
    const response = await this.http.sendJson<{ runs?: WireRun[]; next_page_token?: string }>(
      `${base}/runs/search`,
      body,
    );
    const page: Page<Run> = { items: (response.runs ?? []).map(decodeRun) };
    if (response.next_page_token) page.nextPageToken = response.next_page_token;
    return page;
  }

  /** Every matching run, page after page. */
  iterate(query: Omit<RunSearch, 'pageToken'>): AsyncGenerator<Run> {
    return iteratePages((pageToken) => this.search({ ...query, pageToken }));
  }

  async logMetric(
    runId: string,
    key: string,
    value: number,
    options: Omit<MetricInput, 'key' | 'value'> = {},
  ): Promise<void> {
    const metric = encodeMetric(toMetric({ key, value, ...options }));
    await this.http.sendJson(`${base}/runs/log-metric`, { run_id: runId, ...metric });
  }

  /** Params are write-once: the same value again is fine, another value is `INVALID_PARAMETER_VALUE`. */
  async logParam(runId: string, key: string, value: string | number | boolean): Promise<void> {
    await this.http.sendJson(`${base}/runs/log-parameter`, { run_id: runId, key, value: String(value) });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.http.sendJson(`${base}/runs/set-tag`, { run_id: runId, key, value });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.http.sendJson(`${base}/runs/delete-tag`, { run_id: runId, key });
  }

  /**
   * Logs any number of metrics, params and tags: split into as many `log-batch` requests as MLflow's
   * limits need (1000 metrics, 100 params, 100 tags, 1000 entries, 1 MB per request), sent in order.
   * Returns the number of requests sent.
   */
  async logBatch(runId: string, input: LogBatchInput): Promise<number> {
    const batches = splitBatch(
      batchEntries({
        metrics: (input.metrics ?? []).map(toMetric),
        params: toParamList(input.params),
        tags: toTagList(input.tags),
      }),
    );
    for (const batch of batches) await this.sendBatch(runId, batch);
    return batches.length;
  }

  /** One `log-batch` request, as given (the caller keeps within the limits). */
  async sendBatch(runId: string, batch: Batch): Promise<void> {
    await this.http.sendJson(`${base}/runs/log-batch`, {
      run_id: runId,
      metrics: batch.metrics.map(encodeMetric),
      params: batch.params,
      tags: batch.tags,
    });
  }

  /** Every point of a metric's history, all pages; `[]` for an unknown key. */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const points: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const response = await this.http.getJson<{ metrics?: WireMetric[]; next_page_token?: string }>(
        `${base}/metrics/get-history`,
        { run_id: runId, metric_key: key, max_results: historyPageSize, page_token: pageToken },
      );
      for (const metric of response.metrics ?? []) points.push(decodeMetric(metric));
      pageToken = response.next_page_token || undefined;
    } while (pageToken);
    return points;
  }

  /**
   * A metric's history sampled by the server (`get-history-bulk-interval`): at most `maxResults`
   * points (the server's limit is 2,500) spread over the steps, always with the first and last; with
   * `startStep`/`endStep` (both or neither) only that range, so a zoomed chart reads it at full detail.
   * Each point names its run (several runs are read in one call, up to 100).
   */
  async getMetricHistorySampled(query: MetricHistorySample): Promise<RunMetric[]> {
    const response = await this.http.getJson<{ metrics?: (WireMetric & { run_id?: string })[] }>(
      '/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval',
      {
        run_ids: query.runIds,
        metric_key: query.key,
        start_step: query.startStep,
        end_step: query.endStep,
        max_results: query.maxResults,
      },
    );
    return (response.metrics ?? []).map((wire) => ({
      ...decodeMetric(wire),
      runId: wire.run_id ?? query.runIds[0] ?? '',
    }));
  }

  /** Records the datasets (and logged models) a run read. */
  async logInputs(
    runId: string,
    inputs: { datasets?: DatasetInput[]; models?: ModelInput[] },
  ): Promise<void> {
    await this.http.sendJson(`${base}/runs/log-inputs`, {
      run_id: runId,
      datasets: (inputs.datasets ?? []).map(encodeDatasetInput),
      models: (inputs.models ?? []).map((m) => ({ model_id: m.modelId })),
    });
  }
}

/** What `getMetricHistorySampled` reads: one metric of up to 100 runs, optionally a step range. */
export interface MetricHistorySample {
  runIds: readonly string[];
  key: string;
  startStep?: number;
  endStep?: number;
  maxResults?: number;
}

export function toMetric(input: MetricInput): Metric {
  const metric: Metric = {
    key: input.key,
    value: input.value,
    timestamp: input.timestamp ?? Date.now(),
    step: input.step ?? 0,
  };
  if (input.modelId !== undefined) metric.modelId = input.modelId;
  if (input.datasetName !== undefined) metric.datasetName = input.datasetName;
  if (input.datasetDigest !== undefined) metric.datasetDigest = input.datasetDigest;
  return metric;
}

export function toParamList(params: ParamsInput | undefined): Param[] {
  if (params === undefined) return [];
  if (Array.isArray(params)) return params.map((p: Param) => ({ key: p.key, value: String(p.value) }));
  return Object.entries(params as Record<string, string | number | boolean>).map(([key, value]) => ({
    key,
    value: String(value),
  }));
}
