import { Type } from '@sinclair/typebox';
import type { TrackingService } from '../../services/tracking/index.js';
import type { MlflowApp } from './mlflow-app.js';
import { EmptyJson, listField, LoggedModelJson, loggedModelJson, pageTokenField } from './proto-json.js';
import { EnumInput, KeyValueInput, keyValues, RequiredText } from './request-schemas.js';

const ModelIdParams = Type.Object({ model_id: RequiredText });
const ModelResponse = Type.Object({ model: LoggedModelJson });

/** MLflow 3's `logged-models` endpoints (served under `/api/2.0/mlflow/`, as its client calls them). */
export function loggedModelRoutes(app: MlflowApp, tracking: TrackingService): void {
  app.post(
    '/logged-models',
    {
      schema: {
        body: Type.Object({
          experiment_id: RequiredText,
          name: Type.Optional(Type.String()),
          model_type: Type.Optional(Type.String()),
          source_run_id: Type.Optional(Type.String()),
          params: Type.Optional(Type.Array(KeyValueInput)),
          tags: Type.Optional(Type.Array(KeyValueInput)),
        }),
        response: { 200: ModelResponse },
      },
    },
    async (request) => {
      const body = request.body;
      const model = await tracking.createLoggedModel(request.caller, {
        experimentId: body.experiment_id,
        name: body.name || undefined,
        modelType: body.model_type || undefined,
        sourceRunId: body.source_run_id || undefined,
        params: keyValues(body.params),
        tags: keyValues(body.tags),
      });
      return { model: loggedModelJson(model) };
    },
  );

  app.post(
    '/logged-models/search',
    {
      schema: {
        body: Type.Object({
          experiment_ids: Type.Optional(Type.Array(Type.String())),
          filter: Type.Optional(Type.String()),
          datasets: Type.Optional(
            Type.Array(
              Type.Object({ dataset_name: RequiredText, dataset_digest: Type.Optional(Type.String()) }),
            ),
          ),
          max_results: Type.Optional(Type.Integer()),
          order_by: Type.Optional(
            Type.Array(
              Type.Object({
                field_name: RequiredText,
                ascending: Type.Optional(Type.Boolean()),
                dataset_name: Type.Optional(Type.String()),
                dataset_digest: Type.Optional(Type.String()),
              }),
            ),
          ),
          page_token: Type.Optional(Type.String()),
        }),
        response: {
          200: Type.Object({
            models: Type.Optional(Type.Array(LoggedModelJson)),
            next_page_token: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const page = await tracking.searchLoggedModels(request.caller, {
        experimentIds: body.experiment_ids ?? [],
        filter: body.filter,
        datasets: (body.datasets ?? []).map((d) => ({
          datasetName: d.dataset_name,
          datasetDigest: d.dataset_digest || undefined,
        })),
        maxResults: body.max_results,
        orderBy: (body.order_by ?? []).map((o) => ({
          fieldName: o.field_name,
          ascending: o.ascending ?? true,
          datasetName: o.dataset_name || undefined,
          datasetDigest: o.dataset_digest || undefined,
        })),
        pageToken: body.page_token,
      });
      return {
        ...listField('models', page.items, loggedModelJson),
        ...pageTokenField(page.nextPageToken),
      };
    },
  );

  app.get(
    '/logged-models/:model_id',
    { schema: { params: ModelIdParams, response: { 200: ModelResponse } } },
    async (request) => ({
      model: loggedModelJson(await tracking.getLoggedModel(request.caller, request.params.model_id)),
    }),
  );

  app.patch(
    '/logged-models/:model_id',
    {
      schema: {
        params: ModelIdParams,
        body: Type.Object({ status: EnumInput }),
        response: { 200: ModelResponse },
      },
    },
    async (request) => ({
      model: loggedModelJson(
        await tracking.finalizeLoggedModel(request.caller, request.params.model_id, request.body.status),
      ),
    }),
  );

  app.delete(
    '/logged-models/:model_id',
    { schema: { params: ModelIdParams, response: { 200: EmptyJson } } },
    async (request) => {
      await tracking.deleteLoggedModel(request.caller, request.params.model_id);
      return {};
    },
  );

  app.patch(
    '/logged-models/:model_id/tags',
    {
      schema: {
        params: ModelIdParams,
        body: Type.Object({ tags: Type.Optional(Type.Array(KeyValueInput)) }),
        response: { 200: ModelResponse },
      },
    },
    async (request) => ({
      model: loggedModelJson(
        await tracking.setLoggedModelTags(
          request.caller,
          request.params.model_id,
          keyValues(request.body.tags),
        ),
      ),
    }),
  );

  app.delete(
    '/logged-models/:model_id/tags/:tag_key',
    {
      schema: {
        params: Type.Object({ model_id: RequiredText, tag_key: RequiredText }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await tracking.deleteLoggedModelTag(request.caller, request.params.model_id, request.params.tag_key);
      return {};
    },
  );

  app.post(
    '/logged-models/:model_id/params',
    {
      schema: {
        params: ModelIdParams,
        body: Type.Object({ params: Type.Optional(Type.Array(KeyValueInput)) }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await tracking.logLoggedModelParams(
        request.caller,
        request.params.model_id,
        keyValues(request.body.params),
      );
      return {};
    },
  );
}
