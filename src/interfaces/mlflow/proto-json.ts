import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type {
  DatasetInput,
  Experiment,
  LoggedModel,
  Metric,
  Param,
  Run,
  RunInfo,
  RunMetric,
  Tag,
} from '../../core/tracking/index.js';
import { encodeDouble } from '../../core/tracking/index.js';

/**
 * MLflow's JSON encoding of its protos, as the Python client reads it: snake_case field names,
 * int64 as JSON numbers (MLflow post-processes protobuf's int64-as-string), doubles NaN and
 * +-Infinity as the strings "NaN", "Infinity", "-Infinity", unset fields and empty lists omitted.
 *
 * The TypeBox schemas here are the routes' response schemas; the encoders produce exactly them.
 */

/** A proto double on the wire: a number, or one of the three non-finite strings. */
export const JsonDouble = Type.Union([
  Type.Number(),
  Type.Literal('NaN'),
  Type.Literal('Infinity'),
  Type.Literal('-Infinity'),
]);
export type JsonDouble = Static<typeof JsonDouble>;

/**
 * A list field (`experiments`, `runs`, `tags`, ...), or nothing when it is empty (MLflow omits
 * empty repeated fields).
 */
export function listField<K extends string, T, J>(
  key: K,
  items: readonly T[],
  encode: (item: T) => J,
): { [P in K]?: J[] } {
  if (items.length === 0) return {};
  return { [key]: items.map(encode) } as { [P in K]?: J[] };
}

/** A scalar field, or nothing when unset or an empty string. */
function scalarField<K extends string, V extends string | number>(
  key: K,
  value: V | undefined | null,
): { [P in K]?: V } {
  if (value === undefined || value === null || value === '') return {};
  return { [key]: value } as { [P in K]?: V };
}

const optionalList = <T extends TSchema>(item: T) => Type.Optional(Type.Array(item));

export const KeyValueJson = Type.Object({ key: Type.String(), value: Type.String() });
export type KeyValueJson = Static<typeof KeyValueJson>;

export function keyValueJson(entry: Tag | Param): KeyValueJson {
  return { key: entry.key, value: entry.value };
}

export const ExperimentJson = Type.Object({
  experiment_id: Type.String(),
  name: Type.String(),
  artifact_location: Type.Optional(Type.String()),
  lifecycle_stage: Type.String(),
  last_update_time: Type.Optional(Type.Number()),
  creation_time: Type.Optional(Type.Number()),
  tags: optionalList(KeyValueJson),
  /** Keel's workspace of the experiment; MLflow's clients ignore the field. */
  workspace: Type.Optional(Type.String()),
});
export type ExperimentJson = Static<typeof ExperimentJson>;

export function experimentJson(experiment: Experiment): ExperimentJson {
  return {
    experiment_id: experiment.experimentId,
    name: experiment.name,
    ...scalarField('artifact_location', experiment.artifactLocation),
    lifecycle_stage: experiment.lifecycleStage,
    last_update_time: experiment.lastUpdateTime,
    creation_time: experiment.creationTime,
    ...listField('tags', experiment.tags, keyValueJson),
    workspace: experiment.workspace,
  };
}

export const MetricJson = Type.Object({
  key: Type.String(),
  value: JsonDouble,
  timestamp: Type.Number(),
  step: Type.Number(),
  dataset_name: Type.Optional(Type.String()),
  dataset_digest: Type.Optional(Type.String()),
  model_id: Type.Optional(Type.String()),
  run_id: Type.Optional(Type.String()),
});
export type MetricJson = Static<typeof MetricJson>;

export function metricJson(metric: Metric | RunMetric): MetricJson {
  return {
    key: metric.key,
    value: encodeDouble(metric.value),
    timestamp: metric.timestamp,
    step: metric.step,
    ...scalarField('dataset_name', metric.datasetName),
    ...scalarField('dataset_digest', metric.datasetDigest),
    ...scalarField('model_id', metric.modelId),
    ...scalarField('run_id', 'runId' in metric ? metric.runId : undefined),
  };
}

export const RunInfoJson = Type.Object({
  run_id: Type.String(),
  run_uuid: Type.String(),
  run_name: Type.Optional(Type.String()),
  experiment_id: Type.String(),
  user_id: Type.Optional(Type.String()),
  status: Type.String(),
  start_time: Type.Optional(Type.Number()),
  end_time: Type.Optional(Type.Number()),
  artifact_uri: Type.Optional(Type.String()),
  lifecycle_stage: Type.String(),
});
export type RunInfoJson = Static<typeof RunInfoJson>;

export function runInfoJson(info: RunInfo): RunInfoJson {
  return {
    run_id: info.runId,
    run_uuid: info.runId,
    ...scalarField('run_name', info.runName),
    experiment_id: info.experimentId,
    ...scalarField('user_id', info.userId),
    status: info.status,
    start_time: info.startTime,
    ...scalarField('end_time', info.endTime),
    ...scalarField('artifact_uri', info.artifactUri),
    lifecycle_stage: info.lifecycleStage,
  };
}

export const DatasetJson = Type.Object({
  name: Type.String(),
  digest: Type.String(),
  source_type: Type.String(),
  source: Type.String(),
  schema: Type.Optional(Type.String()),
  profile: Type.Optional(Type.String()),
});

export const DatasetInputJson = Type.Object({ tags: optionalList(KeyValueJson), dataset: DatasetJson });
export type DatasetInputJson = Static<typeof DatasetInputJson>;

function datasetInputJson(input: DatasetInput): DatasetInputJson {
  const { dataset } = input;
  return {
    ...listField('tags', input.tags, keyValueJson),
    dataset: {
      name: dataset.name,
      digest: dataset.digest,
      source_type: dataset.sourceType,
      source: dataset.source,
      ...scalarField('schema', dataset.schema),
      ...scalarField('profile', dataset.profile),
    },
  };
}

export const RunJson = Type.Object({
  info: RunInfoJson,
  data: Type.Object({
    metrics: optionalList(MetricJson),
    params: optionalList(KeyValueJson),
    tags: optionalList(KeyValueJson),
  }),
  inputs: Type.Object({
    dataset_inputs: optionalList(DatasetInputJson),
    model_inputs: optionalList(Type.Object({ model_id: Type.String() })),
  }),
  outputs: Type.Optional(
    Type.Object({
      model_outputs: optionalList(Type.Object({ model_id: Type.String(), step: Type.Number() })),
    }),
  ),
});
export type RunJson = Static<typeof RunJson>;

export function runJson(run: Run): RunJson {
  const outputs = run.outputs.modelOutputs;
  return {
    info: runInfoJson(run.info),
    data: {
      ...listField('metrics', run.data.metrics, metricJson),
      ...listField('params', run.data.params, keyValueJson),
      ...listField('tags', run.data.tags, keyValueJson),
    },
    inputs: {
      ...listField('dataset_inputs', run.inputs.datasetInputs, datasetInputJson),
      ...listField('model_inputs', run.inputs.modelInputs, (m) => ({ model_id: m.modelId })),
    },
    ...(outputs.length > 0
      ? { outputs: { model_outputs: outputs.map((m) => ({ model_id: m.modelId, step: m.step })) } }
      : {}),
  };
}

export const LoggedModelJson = Type.Object({
  info: Type.Object({
    model_id: Type.String(),
    experiment_id: Type.String(),
    name: Type.String(),
    creation_timestamp_ms: Type.Number(),
    last_updated_timestamp_ms: Type.Number(),
    artifact_uri: Type.String(),
    status: Type.String(),
    status_message: Type.Optional(Type.String()),
    model_type: Type.Optional(Type.String()),
    source_run_id: Type.Optional(Type.String()),
    tags: optionalList(KeyValueJson),
  }),
  data: Type.Object({ params: optionalList(KeyValueJson), metrics: optionalList(MetricJson) }),
});
export type LoggedModelJson = Static<typeof LoggedModelJson>;

export function loggedModelJson(model: LoggedModel): LoggedModelJson {
  return {
    info: {
      model_id: model.modelId,
      experiment_id: model.experimentId,
      name: model.name,
      creation_timestamp_ms: model.creationTimestampMs,
      last_updated_timestamp_ms: model.lastUpdatedTimestampMs,
      artifact_uri: model.artifactUri,
      status: model.status,
      ...scalarField('status_message', model.statusMessage),
      ...scalarField('model_type', model.modelType),
      ...scalarField('source_run_id', model.sourceRunId),
      ...listField('tags', model.tags, keyValueJson),
    },
    data: {
      ...listField('params', model.params, keyValueJson),
      ...listField('metrics', model.metrics, metricJson),
    },
  };
}

/** The `next_page_token` field of a search response: present only when more results exist. */
export function pageTokenField(token: string | undefined): { next_page_token?: string } {
  return scalarField('next_page_token', token);
}

/** The response of every endpoint that answers an empty message. */
export const EmptyJson = Type.Object({});
