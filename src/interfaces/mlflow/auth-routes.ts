import { Type, type Static } from '@sinclair/typebox';
import {
  objectKey,
  parseAuthorization,
  parsePermission,
  type Caller,
  type ObjectPermission,
  type Permission,
  type User,
} from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import type { AccessControl, IdentityService } from '../../services/auth/index.js';
import type { MlflowApp } from './mlflow-app.js';
import { EmptyJson } from './proto-json.js';
import { RequiredText } from './request-schemas.js';

/**
 * MLflow's basic-auth REST API (`mlflow.server.get_app_client("basic-auth")`, MLflow's
 * `AuthServiceClient`): users and experiment permissions, answered with MLflow's shapes. The
 * permission rules are Keel's (the services'): user administration needs a site administrator (a
 * user reads themself and changes their own password), an experiment's permissions need MANAGE on
 * it. Ids are Keel's (a user id is a ULID string where MLflow has an integer).
 *
 * Registered-model permission routes come with the model registry.
 */

const ExperimentPermissionJson = Type.Object({
  experiment_id: Type.String(),
  user_id: Type.String(),
  permission: Type.String(),
});
type ExperimentPermissionJson = Static<typeof ExperimentPermissionJson>;

const MlflowUserJson = Type.Object({
  id: Type.String(),
  username: Type.String(),
  is_admin: Type.Boolean(),
  experiment_permissions: Type.Array(ExperimentPermissionJson),
  registered_model_permissions: Type.Array(
    Type.Object({ name: Type.String(), user_id: Type.String(), permission: Type.String() }),
  ),
});

const UserResponse = Type.Object({ user: MlflowUserJson });
const PermissionResponse = Type.Object({ experiment_permission: ExperimentPermissionJson });
const ExperimentUserInput = Type.Object({ experiment_id: RequiredText, username: RequiredText });
const ExperimentUserPermissionInput = Type.Object({
  experiment_id: RequiredText,
  username: RequiredText,
  permission: RequiredText,
});

function mlflowUser(user: User, grants: { experimentId: string; permission: Permission }[]) {
  return {
    id: user.userId,
    username: user.username,
    is_admin: user.isAdmin,
    experiment_permissions: grants.map((grant) => ({
      experiment_id: grant.experimentId,
      user_id: user.userId,
      permission: grant.permission,
    })),
    registered_model_permissions: [],
  };
}

/** MLflow's `is_admin`: a JSON boolean, or the text `true`/`false` in any case. */
function adminFlag(value: boolean | string): boolean {
  if (typeof value === 'boolean') return value;
  const text = value.toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  throw new KeelError(
    'INVALID_PARAMETER_VALUE',
    `Invalid parameter 'is_admin': '${value.slice(0, 64)}', must be either 'true' or 'false' (case insensitive).`,
  );
}

export function mlflowAuthRoutes(app: MlflowApp, identity: IdentityService, access: AccessControl): void {
  /** The user's own grants on experiments (not their groups'), as MLflow lists them on a user. */
  const experimentGrants = async (user: User) => {
    const subject = await access.subject(user.userId);
    const prefix = objectKey('experiment', '');
    return [...(subject?.userGrants ?? [])]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, permission]) => ({ experimentId: key.slice(prefix.length), permission }));
  };

  /** The grant on an experiment to the user named `username`, as MLflow's JSON; undefined when none. */
  const grantOf = async (
    caller: Caller,
    experimentId: string,
    username: string,
  ): Promise<ExperimentPermissionJson | undefined> => {
    const grants: ObjectPermission[] = await identity.listPermissions(caller, {
      type: 'experiment',
      id: experimentId,
    });
    const wanted = username.toLowerCase();
    const grant = grants.find(
      (entry) => entry.principal.type === 'user' && entry.principalName.toLowerCase() === wanted,
    );
    if (grant === undefined) return undefined;
    return { experiment_id: experimentId, user_id: grant.principal.id, permission: grant.permission };
  };

  const permissionNotFound = (experimentId: string, username: string) =>
    new KeelError(
      'RESOURCE_DOES_NOT_EXIST',
      `Experiment permission with experiment_id=${experimentId} and username=${username} not found`,
    );

  app.post(
    '/users/create',
    {
      schema: {
        body: Type.Object({ username: RequiredText, password: RequiredText }),
        response: { 200: UserResponse },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      const user = await identity.createUser(request.caller, { username, password, kind: 'user' });
      return { user: mlflowUser(user, []) };
    },
  );

  app.get(
    '/users/get',
    { schema: { querystring: Type.Object({ username: RequiredText }), response: { 200: UserResponse } } },
    async (request) => {
      const user = await identity.getUser(request.caller, request.query.username);
      return { user: mlflowUser(user, await experimentGrants(user)) };
    },
  );

  app.patch(
    '/users/update-password',
    {
      schema: {
        body: Type.Object({ username: RequiredText, password: RequiredText }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await identity.changePassword(request.caller, request.body.username, {
        newPassword: request.body.password,
        currentPassword: presentedPassword(request.caller, request.headers.authorization),
      });
      return {};
    },
  );

  app.patch(
    '/users/update-admin',
    {
      schema: {
        body: Type.Object({
          username: RequiredText,
          is_admin: Type.Union([Type.Boolean(), Type.String()]),
        }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await identity.updateUser(request.caller, request.body.username, {
        isAdmin: adminFlag(request.body.is_admin),
      });
      return {};
    },
  );

  app.delete(
    '/users/delete',
    { schema: { body: Type.Object({ username: RequiredText }), response: { 200: EmptyJson } } },
    async (request) => {
      await identity.deleteUser(request.caller, request.body.username);
      return {};
    },
  );

  app.post(
    '/experiments/permissions/create',
    { schema: { body: ExperimentUserPermissionInput, response: { 200: PermissionResponse } } },
    async (request) => {
      const { experiment_id: experimentId, username, permission } = request.body;
      const caller = request.caller;
      if ((await grantOf(caller, experimentId, username)) !== undefined) {
        throw new KeelError(
          'RESOURCE_ALREADY_EXISTS',
          `Experiment permission (experiment_id=${experimentId}, username=${username}) already exists`,
        );
      }
      await identity.setPermission(
        caller,
        { type: 'experiment', id: experimentId },
        { user: username },
        parsePermission(permission),
      );
      const created = await grantOf(caller, experimentId, username);
      if (created === undefined) throw permissionNotFound(experimentId, username);
      return { experiment_permission: created };
    },
  );

  app.get(
    '/experiments/permissions/get',
    { schema: { querystring: ExperimentUserInput, response: { 200: PermissionResponse } } },
    async (request) => {
      const { experiment_id: experimentId, username } = request.query;
      const grant = await grantOf(request.caller, experimentId, username);
      if (grant === undefined) throw permissionNotFound(experimentId, username);
      return { experiment_permission: grant };
    },
  );

  app.patch(
    '/experiments/permissions/update',
    { schema: { body: ExperimentUserPermissionInput, response: { 200: EmptyJson } } },
    async (request) => {
      const { experiment_id: experimentId, username, permission } = request.body;
      const parsed = parsePermission(permission);
      if ((await grantOf(request.caller, experimentId, username)) === undefined)
        throw permissionNotFound(experimentId, username);
      await identity.setPermission(
        request.caller,
        { type: 'experiment', id: experimentId },
        { user: username },
        parsed,
      );
      return {};
    },
  );

  app.delete(
    '/experiments/permissions/delete',
    { schema: { body: ExperimentUserInput, response: { 200: EmptyJson } } },
    async (request) => {
      const { experiment_id: experimentId, username } = request.body;
      if ((await grantOf(request.caller, experimentId, username)) === undefined)
        throw permissionNotFound(experimentId, username);
      await identity.removePermission(
        request.caller,
        { type: 'experiment', id: experimentId },
        { user: username },
      );
      return {};
    },
  );
}

/**
 * The password of a caller who signed in with Basic credentials: MLflow's client changes its own
 * password without sending the current one separately, and the request's own credentials prove it.
 */
function presentedPassword(caller: Caller, authorization: string | undefined): string | undefined {
  if (caller.via !== 'password') return undefined;
  const presented = parseAuthorization(authorization);
  return presented !== undefined && presented !== 'malformed' && presented.kind === 'basic'
    ? presented.password
    : undefined;
}
