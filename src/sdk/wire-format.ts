import type {
  Dataset,
  DatasetInput,
  Experiment,
  LifecycleStage,
  Metric,
  Param,
  Run,
  RunInfo,
  RunStatus,
  Tag,
} from '../core/tracking/index.js';
import { encodeDouble } from '../core/tracking/index.js';

/*
 * MLflow's JSON (snake_case, empty lists omitted, int64 as numbers, non-finite doubles as strings)
 * translated to and from Keel's camelCase entities. Decoders accept what MLflow servers send too:
 * numeric strings for int64 and doubles, absent lists.
 */

export interface WireTag {
  key?: string;
  value?: string;
}

export interface WireMetric {
  key?: string;
  value?: number | string;
  timestamp?: number | string;
  step?: number | string;
  model_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}

export interface WireExperiment {
  experiment_id?: string;
  name?: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number | string;
  last_update_time?: number | string;
  tags?: WireTag[];
  /** Keel only; an MLflow server has one implicit workspace. */
  workspace?: string;
}

export interface WireRunInfo {
  run_id?: string;
  run_uuid?: string;
  run_name?: string;
  experiment_id?: string;
  user_id?: string;
  status?: string;
  start_time?: number | string;
  end_time?: number | string;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

export interface WireDataset {
  name?: string;
  digest?: string;
  source_type?: string;
  source?: string;
  schema?: string;
  profile?: string;
}

export interface WireRun {
  info?: WireRunInfo;
  data?: { metrics?: WireMetric[]; params?: WireTag[]; tags?: WireTag[] };
  inputs?: {
    dataset_inputs?: { tags?: WireTag[]; dataset?: WireDataset }[];
    model_inputs?: { model_id?: string }[];
  };
  outputs?: { model_outputs?: { model_id?: string; step?: number | string }[] };
}

/** A double as MLflow sends it: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`, or a numeric string. */
export function decodeDouble(value: number | string | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

function decodeInt(value: number | string | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

function decodeStage(value: string | undefined): LifecycleStage {
  return value === 'deleted' ? 'deleted' : 'active';
}

export function decodeTags(tags: WireTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' }));
}

export function decodeMetric(m: WireMetric): Metric {
  const metric: Metric = {
    key: m.key ?? '',
    value: decodeDouble(m.value),
    timestamp: decodeInt(m.timestamp),
    step: decodeInt(m.step),
  };
  if (m.model_id !== undefined) metric.modelId = m.model_id;
  if (m.dataset_name !== undefined) metric.datasetName = m.dataset_name;
  if (m.dataset_digest !== undefined) metric.datasetDigest = m.dataset_digest;
  return metric;
}

export function encodeMetric(m: Metric): WireMetric {
  const wire: WireMetric = { key: m.key, value: encodeDouble(m.value), timestamp: m.timestamp, step: m.step };
  if (m.modelId !== undefined) wire.model_id = m.modelId;
  if (m.datasetName !== undefined) wire.dataset_name = m.datasetName;
  if (m.datasetDigest !== undefined) wire.dataset_digest = m.datasetDigest;
  return wire;
}

export function decodeExperiment(e: WireExperiment): Experiment {
  return {
    experimentId: e.experiment_id ?? '',
    name: e.name ?? '',
    workspace: e.workspace ?? 'default',
    artifactLocation: e.artifact_location ?? '',
    lifecycleStage: decodeStage(e.lifecycle_stage),
    creationTime: decodeInt(e.creation_time),
    lastUpdateTime: decodeInt(e.last_update_time),
    tags: decodeTags(e.tags),
  };
}

export function decodeRunInfo(i: WireRunInfo): RunInfo {
  return {
    runId: i.run_id ?? i.run_uuid ?? '',
    runName: i.run_name ?? '',
    experimentId: i.experiment_id ?? '',
    userId: i.user_id ?? '',
    status: (i.status ?? 'RUNNING') as RunStatus,
    startTime: decodeInt(i.start_time),
    endTime: i.end_time === undefined || i.end_time === null ? null : decodeInt(i.end_time),
    artifactUri: i.artifact_uri ?? '',
    lifecycleStage: decodeStage(i.lifecycle_stage),
  };
}

function decodeDataset(d: WireDataset | undefined): Dataset {
  const dataset: Dataset = {
    name: d?.name ?? '',
    digest: d?.digest ?? '',
    sourceType: d?.source_type ?? '',
    source: d?.source ?? '',
  };
  if (d?.schema !== undefined) dataset.schema = d.schema;
  if (d?.profile !== undefined) dataset.profile = d.profile;
  return dataset;
}

export function encodeDatasetInput(input: DatasetInput): { tags: WireTag[]; dataset: WireDataset } {
  const d = input.dataset;
  const dataset: WireDataset = {
    name: d.name,
    digest: d.digest,
    source_type: d.sourceType,
    source: d.source,
  };
  if (d.schema !== undefined) dataset.schema = d.schema;
  if (d.profile !== undefined) dataset.profile = d.profile;
  return { tags: input.tags.map((t) => ({ key: t.key, value: t.value })), dataset };
}

export function decodeRun(r: WireRun): Run {
  return {
    info: decodeRunInfo(r.info ?? {}),
    data: {
      metrics: (r.data?.metrics ?? []).map(decodeMetric),
      params: decodeTags(r.data?.params) as Param[],
      tags: decodeTags(r.data?.tags),
    },
    inputs: {
      datasetInputs: (r.inputs?.dataset_inputs ?? []).map((i) => ({
        tags: decodeTags(i.tags),
        dataset: decodeDataset(i.dataset),
      })),
      modelInputs: (r.inputs?.model_inputs ?? []).map((m) => ({ modelId: m.model_id ?? '' })),
    },
    outputs: {
      modelOutputs: (r.outputs?.model_outputs ?? []).map((m) => ({
        modelId: m.model_id ?? '',
        step: decodeInt(m.step),
      })),
    },
  };
}

/** Tags given as a record or a list, as the wire's list. */
export type TagsInput = Record<string, string> | readonly Tag[];

export function toTagList(tags: TagsInput | undefined): Tag[] {
  if (tags === undefined) return [];
  if (Array.isArray(tags)) return tags.map((t: Tag) => ({ key: t.key, value: t.value }));
  return Object.entries(tags as Record<string, string>).map(([key, value]) => ({ key, value }));
}
