import type { Caller } from '../../core/auth/index.js';
import { Type, type Static } from '@sinclair/typebox';
import type { TrackingService } from '../../services/tracking/index.js';
import type { MlflowApp } from './mlflow-app.js';
import {
  EmptyJson,
  listField,
  pageTokenField,
  RunInfoJson,
  RunJson,
  runInfoJson,
  runJson,
} from './proto-json.js';
import {
  EnumInput,
  KeyValueInput,
  keyValues,
  RequiredText,
  RunIdFields,
  runIdOf,
} from './request-schemas.js';

const RunResponse = Type.Object({ run: RunJson });
const RunIdInput = Type.Object({ run_id: RequiredText });

const SearchRunsInput = Type.Object({
  experiment_ids: Type.Optional(Type.Array(Type.String())),
  filter: Type.Optional(Type.String()),
  run_view_type: Type.Optional(EnumInput),
  max_results: Type.Optional(Type.Integer()),
  order_by: Type.Optional(Type.Array(Type.String())),
  page_token: Type.Optional(Type.String()),
});

/** `runs/*` lifecycle: create, get, update, delete, restore, search. */
export function runRoutes(app: MlflowApp, tracking: TrackingService): void {
  app.post(
    '/runs/create',
    {
      schema: {
        body: Type.Object({
          experiment_id: Type.Optional(Type.String()),
          user_id: Type.Optional(Type.String()),
          run_name: Type.Optional(Type.String()),
          start_time: Type.Optional(Type.Integer()),
          tags: Type.Optional(Type.Array(KeyValueInput)),
        }),
        response: { 200: RunResponse },
      },
    },
    async (request) => {
      const body = request.body;
      const run = await tracking.createRun(request.caller, {
        experimentId: body.experiment_id,
        userId: body.user_id,
        runName: body.run_name,
        startTime: body.start_time,
        tags: keyValues(body.tags),
      });
      return { run: runJson(run) };
    },
  );

  app.post(
    '/runs/update',
    {
      schema: {
        body: Type.Object({
          ...RunIdFields,
          status: Type.Optional(EnumInput),
          end_time: Type.Optional(Type.Integer()),
          run_name: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Object({ run_info: RunInfoJson }) },
      },
    },
    async (request) => {
      const body = request.body;
      const info = await tracking.updateRun(request.caller, runIdOf(body), {
        status: body.status,
        endTime: body.end_time,
        runName: body.run_name,
      });
      return { run_info: runInfoJson(info) };
    },
  );

  app.get(
    '/runs/get',
    { schema: { querystring: Type.Object(RunIdFields), response: { 200: RunResponse } } },
    async (request) => ({ run: runJson(await tracking.getRun(request.caller, runIdOf(request.query))) }),
  );

  app.post(
    '/runs/delete',
    { schema: { body: RunIdInput, response: { 200: EmptyJson } } },
    async (request) => {
      await tracking.deleteRun(request.caller, request.body.run_id);
      return {};
    },
  );

  app.post(
    '/runs/restore',
    { schema: { body: RunIdInput, response: { 200: EmptyJson } } },
    async (request) => {
      await tracking.restoreRun(request.caller, request.body.run_id);
      return {};
    },
  );

  const search = async (caller: Caller, message: Static<typeof SearchRunsInput>) => {
    const page = await tracking.searchRuns(caller, {
      experimentIds: message.experiment_ids ?? [],
      filter: message.filter,
      runViewType: message.run_view_type,
      maxResults: message.max_results,
      orderBy: message.order_by,
      pageToken: message.page_token,
    });
    return { ...listField('runs', page.items, runJson), ...pageTokenField(page.nextPageToken) };
  };
  const SearchRunsResponse = Type.Object({
    runs: Type.Optional(Type.Array(RunJson)),
    next_page_token: Type.Optional(Type.String()),
  });
  app.post(
    '/runs/search',
    { schema: { body: SearchRunsInput, response: { 200: SearchRunsResponse } } },
    async (request) => search(request.caller, request.body),
  );
}
