import { Type } from '@sinclair/typebox';
import { validateBatchRequestSize } from '../../core/tracking/index.js';
import type { TrackingService } from '../../services/tracking/index.js';
import type { MlflowApp } from './mlflow-app.js';
import { EmptyJson } from './proto-json.js';
import { KeyValueInput, keyValues, RequiredText, RunIdFields, runIdOf } from './request-schemas.js';

const MetricInput = Type.Object({
  key: RequiredText,
  value: Type.Number(),
  timestamp: Type.Integer(),
  step: Type.Optional(Type.Integer()),
  model_id: Type.Optional(Type.String()),
  dataset_name: Type.Optional(Type.String()),
  dataset_digest: Type.Optional(Type.String()),
});

const TagInput = Type.Object({ key: RequiredText, value: Type.String() });

const DatasetInputInput = Type.Object({
  tags: Type.Optional(Type.Array(TagInput)),
  dataset: Type.Object({
    name: RequiredText,
    digest: RequiredText,
    source_type: RequiredText,
    source: RequiredText,
    schema: Type.Optional(Type.String()),
    profile: Type.Optional(Type.String()),
  }),
});

const emptyResponse = { 200: EmptyJson };

/** `runs/log-*` (metric, parameter, batch, inputs, legacy model), `runs/set-tag`, `runs/delete-tag`, `runs/outputs`. */
export function runLoggingRoutes(app: MlflowApp, tracking: TrackingService): void {
  app.post(
    '/runs/log-metric',
    { schema: { body: Type.Object({ ...RunIdFields, ...MetricInput.properties }), response: emptyResponse } },
    async (request) => {
      const body = request.body;
      await tracking.logMetric(request.caller, runIdOf(body), {
        key: body.key,
        value: body.value,
        timestamp: body.timestamp,
        step: body.step ?? 0,
        modelId: body.model_id || undefined,
        datasetName: body.dataset_name || undefined,
        datasetDigest: body.dataset_digest || undefined,
      });
      return {};
    },
  );

  app.post(
    '/runs/log-parameter',
    {
      schema: {
        body: Type.Object({ ...RunIdFields, key: RequiredText, value: Type.String() }),
        response: emptyResponse,
      },
    },
    async (request) => {
      const body = request.body;
      await tracking.logParam(request.caller, runIdOf(body), { key: body.key, value: body.value });
      return {};
    },
  );

  app.post(
    '/runs/set-tag',
    {
      schema: {
        body: Type.Object({ ...RunIdFields, key: RequiredText, value: Type.String() }),
        response: emptyResponse,
      },
    },
    async (request) => {
      const body = request.body;
      await tracking.setTag(request.caller, runIdOf(body), { key: body.key, value: body.value });
      return {};
    },
  );

  app.post(
    '/runs/delete-tag',
    { schema: { body: Type.Object({ run_id: RequiredText, key: RequiredText }), response: emptyResponse } },
    async (request) => {
      await tracking.deleteTag(request.caller, request.body.run_id, request.body.key);
      return {};
    },
  );

  app.post(
    '/runs/log-batch',
    {
      // MLflow's MAX_BATCH_LOG_REQUEST_SIZE: over 1,000,000 bytes is a 400, not the app-wide 413.
      config: { checkBodySize: validateBatchRequestSize },
      schema: {
        body: Type.Object({
          run_id: RequiredText,
          metrics: Type.Optional(Type.Array(MetricInput)),
          params: Type.Optional(Type.Array(KeyValueInput)),
          tags: Type.Optional(Type.Array(KeyValueInput)),
        }),
        response: emptyResponse,
      },
    },
    async (request) => {
      const body = request.body;
      await tracking.logBatch(request.caller, body.run_id, {
        metrics: (body.metrics ?? []).map((metric) => ({
          key: metric.key,
          value: metric.value,
          timestamp: metric.timestamp,
          step: metric.step ?? 0,
          modelId: metric.model_id || undefined,
          datasetName: metric.dataset_name || undefined,
          datasetDigest: metric.dataset_digest || undefined,
        })),
        params: keyValues(body.params),
        tags: keyValues(body.tags),
      });
      return {};
    },
  );

  app.post(
    '/runs/log-inputs',
    {
      schema: {
        body: Type.Object({
          run_id: RequiredText,
          datasets: Type.Optional(Type.Array(DatasetInputInput)),
          models: Type.Optional(Type.Array(Type.Object({ model_id: RequiredText }))),
        }),
        response: emptyResponse,
      },
    },
    async (request) => {
      const body = request.body;
      await tracking.logInputs(request.caller, body.run_id, {
        datasets: (body.datasets ?? []).map((input) => ({
          tags: input.tags ?? [],
          dataset: {
            name: input.dataset.name,
            digest: input.dataset.digest,
            sourceType: input.dataset.source_type,
            source: input.dataset.source,
            schema: input.dataset.schema,
            profile: input.dataset.profile,
          },
        })),
        models: (body.models ?? []).map((model) => ({ modelId: model.model_id })),
      });
      return {};
    },
  );

  app.post(
    '/runs/log-model',
    {
      schema: {
        body: Type.Object({ run_id: RequiredText, model_json: RequiredText }),
        response: emptyResponse,
      },
    },
    async (request) => {
      await tracking.logModel(request.caller, request.body.run_id, request.body.model_json);
      return {};
    },
  );

  app.post(
    '/runs/outputs',
    {
      schema: {
        body: Type.Object({
          run_id: RequiredText,
          models: Type.Optional(Type.Array(Type.Object({ model_id: RequiredText, step: Type.Integer() }))),
        }),
        response: emptyResponse,
      },
    },
    async (request) => {
      const body = request.body;
      await tracking.logOutputs(
        request.caller,
        body.run_id,
        (body.models ?? []).map((model) => ({ modelId: model.model_id, step: model.step })),
      );
      return {};
    },
  );
}
