import { Type } from '@sinclair/typebox';
import type { TrackingService } from '../../services/tracking/index.js';
import type { MlflowApp } from './mlflow-app.js';
import { listField, MetricJson, metricJson, pageTokenField } from './proto-json.js';
import { RequiredText, RunIdFields, runIdOf } from './request-schemas.js';

/** `metrics/get-history` and the UI charts' `metrics/get-history-bulk-interval`. */
export function metricRoutes(app: MlflowApp, tracking: TrackingService): void {
  app.get(
    '/metrics/get-history',
    {
      schema: {
        querystring: Type.Object({
          ...RunIdFields,
          metric_key: RequiredText,
          page_token: Type.Optional(Type.String()),
          max_results: Type.Optional(Type.Integer()),
        }),
        response: {
          200: Type.Object({
            metrics: Type.Optional(Type.Array(MetricJson)),
            next_page_token: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const query = request.query;
      const page = await tracking.getMetricHistory(request.caller, runIdOf(query), query.metric_key, {
        maxResults: query.max_results,
        pageToken: query.page_token,
      });
      return { ...listField('metrics', page.items, metricJson), ...pageTokenField(page.nextPageToken) };
    },
  );

  app.get(
    '/metrics/get-history-bulk-interval',
    {
      schema: {
        querystring: Type.Object({
          run_ids: Type.Optional(Type.Array(Type.String())),
          metric_key: RequiredText,
          start_step: Type.Optional(Type.Integer()),
          end_step: Type.Optional(Type.Integer()),
          max_results: Type.Optional(Type.Integer()),
        }),
        response: { 200: Type.Object({ metrics: Type.Optional(Type.Array(MetricJson)) }) },
      },
    },
    async (request) => {
      const query = request.query;
      const metrics = await tracking.getMetricHistoryBulkInterval(request.caller, {
        runIds: query.run_ids ?? [],
        key: query.metric_key,
        startStep: query.start_step,
        endStep: query.end_step,
        maxResults: query.max_results,
      });
      return listField('metrics', metrics, metricJson);
    },
  );
}
