import type { Caller } from '../../core/auth/index.js';
import { Type, type Static } from '@sinclair/typebox';
import type { TrackingService } from '../../services/tracking/index.js';
import type { MlflowApp } from './mlflow-app.js';
import { EmptyJson, ExperimentJson, experimentJson, listField, pageTokenField } from './proto-json.js';
import { EnumInput, KeyValueInput, keyValues, RequiredText } from './request-schemas.js';

const ExperimentIdInput = Type.Object({ experiment_id: RequiredText });
const ExperimentResponse = Type.Object({ experiment: ExperimentJson });

const SearchExperimentsInput = Type.Object({
  max_results: Type.Optional(Type.Integer()),
  page_token: Type.Optional(Type.String()),
  filter: Type.Optional(Type.String()),
  order_by: Type.Optional(Type.Array(Type.String())),
  view_type: Type.Optional(EnumInput),
});
const SearchExperimentsResponse = Type.Object({
  experiments: Type.Optional(Type.Array(ExperimentJson)),
  next_page_token: Type.Optional(Type.String()),
});

/** `experiments/*`: create, get, get-by-name, search, update (rename), delete, restore, tags. */
export function experimentRoutes(app: MlflowApp, tracking: TrackingService): void {
  app.post(
    '/experiments/create',
    {
      schema: {
        body: Type.Object({
          name: RequiredText,
          artifact_location: Type.Optional(Type.String()),
          tags: Type.Optional(Type.Array(KeyValueInput)),
        }),
        response: { 200: Type.Object({ experiment_id: Type.String() }) },
      },
    },
    async (request) => {
      const { name, artifact_location: artifactLocation, tags } = request.body;
      const experimentId = await tracking.createExperiment(request.caller, {
        name,
        artifactLocation,
        tags: keyValues(tags),
      });
      return { experiment_id: experimentId };
    },
  );

  app.get(
    '/experiments/get',
    { schema: { querystring: ExperimentIdInput, response: { 200: ExperimentResponse } } },
    async (request) => ({
      experiment: experimentJson(await tracking.getExperiment(request.caller, request.query.experiment_id)),
    }),
  );

  app.get(
    '/experiments/get-by-name',
    {
      schema: {
        querystring: Type.Object({ experiment_name: RequiredText }),
        response: { 200: ExperimentResponse },
      },
    },
    async (request) => ({
      experiment: experimentJson(
        await tracking.getExperimentByName(request.caller, request.query.experiment_name),
      ),
    }),
  );

  const search = async (caller: Caller, message: Static<typeof SearchExperimentsInput>) => {
    const page = await tracking.searchExperiments(caller, {
      maxResults: message.max_results,
      pageToken: message.page_token,
      filter: message.filter,
      orderBy: message.order_by,
      viewType: message.view_type,
    });
    return {
      ...listField('experiments', page.items, experimentJson),
      ...pageTokenField(page.nextPageToken),
    };
  };
  app.post(
    '/experiments/search',
    { schema: { body: SearchExperimentsInput, response: { 200: SearchExperimentsResponse } } },
    async (request) => search(request.caller, request.body),
  );
  app.get(
    '/experiments/search',
    { schema: { querystring: SearchExperimentsInput, response: { 200: SearchExperimentsResponse } } },
    async (request) => search(request.caller, request.query),
  );

  app.post(
    '/experiments/update',
    {
      schema: {
        body: Type.Object({ experiment_id: RequiredText, new_name: RequiredText }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await tracking.renameExperiment(request.caller, request.body.experiment_id, request.body.new_name);
      return {};
    },
  );

  app.post(
    '/experiments/delete',
    { schema: { body: ExperimentIdInput, response: { 200: EmptyJson } } },
    async (request) => {
      await tracking.deleteExperiment(request.caller, request.body.experiment_id);
      return {};
    },
  );

  app.post(
    '/experiments/restore',
    { schema: { body: ExperimentIdInput, response: { 200: EmptyJson } } },
    async (request) => {
      await tracking.restoreExperiment(request.caller, request.body.experiment_id);
      return {};
    },
  );

  app.post(
    '/experiments/set-experiment-tag',
    {
      schema: {
        body: Type.Object({ experiment_id: RequiredText, key: RequiredText, value: Type.String() }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      const { experiment_id: experimentId, key, value } = request.body;
      await tracking.setExperimentTag(request.caller, experimentId, { key, value });
      return {};
    },
  );

  app.post(
    '/experiments/delete-experiment-tag',
    {
      schema: {
        body: Type.Object({ experiment_id: RequiredText, key: RequiredText }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await tracking.deleteExperimentTag(request.caller, request.body.experiment_id, request.body.key);
      return {};
    },
  );
}
