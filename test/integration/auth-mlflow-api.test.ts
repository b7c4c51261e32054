import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminCredentials, basicAuth, startAuthServer, type AuthServer } from '../support/auth-fixture.js';
import { engines } from '../support/databases.js';
import { expectError, MlflowRest } from '../support/mlflow-rest.js';

/**
 * MLflow's basic-auth REST API (what `mlflow.server.get_app_client("basic-auth")` calls), shaped
 * as its Python client sends it: users (create, get, update-password, update-admin, delete) and
 * experiment permissions (create, get, update, delete), under `/api/2.0/mlflow` and
 * `/ajax-api/2.0/mlflow`.
 */
describe.each(engines)("MLflow's auth API on %s", (engine) => {
  let auth: AuthServer;
  let admin: MlflowRest;

  beforeAll(async () => {
    auth = await startAuthServer(engine);
    admin = auth.adminRest;
  });
  afterAll(async () => {
    await auth?.close();
  });

  test("users/create and users/get answer MLflow's user shape", async () => {
    const created = await admin.ok('/users/create', { username: 'mara', password: 'mara-password-0123' });
    expect(created).toEqual({
      user: {
        id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        username: 'mara',
        is_admin: false,
        experiment_permissions: [],
        registered_model_permissions: [],
      },
    });
    expectError(
      await admin.post('/users/create', { username: 'mara', password: 'mara-password-0123' }),
      400,
      'RESOURCE_ALREADY_EXISTS',
    );
    expectError(
      await admin.post('/users/create', { username: 'nopass' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /password/,
    );
    expectError(
      await admin.post('/users/create', { username: 'shorty', password: 'short' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );

    const experimentId = await admin.createExperiment('mlflow-auth-user-grants');
    await admin.ok('/experiments/permissions/create', {
      experiment_id: experimentId,
      username: 'mara',
      permission: 'EDIT',
    });
    const fetched = await admin.getOk('/users/get', { username: 'mara' });
    expect(fetched.user).toEqual({
      ...created.user,
      experiment_permissions: [{ experiment_id: experimentId, user_id: created.user.id, permission: 'EDIT' }],
    });
    expectError(await admin.get('/users/get', { username: 'ghost' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await admin.get('/users/get'), 400, 'INVALID_PARAMETER_VALUE');

    // A user reads themself, not others.
    const mara = new MlflowRest(auth.server.url).withHeaders(basicAuth('mara', 'mara-password-0123'));
    expect((await mara.getOk('/users/get', { username: 'mara' })).user.username).toBe('mara');
    expectError(
      await mara.get('/users/get', { username: adminCredentials.username }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(
      await mara.post('/users/create', { username: 'x', password: 'x-password-01234' }),
      403,
      'PERMISSION_DENIED',
    );
  });

  test('users/update-password: administrators for anyone; a user for themself with their Basic credentials', async () => {
    await admin.ok('/users/create', { username: 'nico', password: 'nico-password-0123' });
    expect(
      (await admin.patch('/users/update-password', { username: 'nico', password: 'nico-second-pass-0123' }))
        .body,
    ).toEqual({});
    const old = new MlflowRest(auth.server.url).withHeaders(basicAuth('nico', 'nico-password-0123'));
    expectError(await old.get('/experiments/search'), 401, 'UNAUTHENTICATED');
    const nico = new MlflowRest(auth.server.url).withHeaders(basicAuth('nico', 'nico-second-pass-0123'));
    expect(
      (await nico.patch('/users/update-password', { username: 'nico', password: 'nico-third-pass-0123' }))
        .status,
    ).toBe(200);
    const third = new MlflowRest(auth.server.url).withHeaders(basicAuth('nico', 'nico-third-pass-0123'));
    expect((await third.getOk('/users/get', { username: 'nico' })).user.username).toBe('nico');
    expectError(
      await third.patch('/users/update-password', {
        username: adminCredentials.username,
        password: 'taken-over-0123',
      }),
      403,
      'PERMISSION_DENIED',
    );
    // With a token there is no password to prove: the current one is needed, and MLflow's API has no field for it.
    const { token } = await auth.admin.ok('POST', '/tokens', { name: 'nico', username: 'nico' });
    const withToken = new MlflowRest(auth.server.url).withHeaders({ authorization: `Bearer ${token}` });
    expectError(
      await withToken.patch('/users/update-password', {
        username: 'nico',
        password: 'nico-fourth-pass-0123',
      }),
      400,
      'INVALID_PARAMETER_VALUE',
      /current password/,
    );
  });

  test('users/update-admin takes a boolean or the text true/false; users/delete removes', async () => {
    await admin.ok('/users/create', { username: 'olga', password: 'olga-password-0123' });
    expect((await admin.patch('/users/update-admin', { username: 'olga', is_admin: true })).status).toBe(200);
    expect((await admin.getOk('/users/get', { username: 'olga' })).user.is_admin).toBe(true);
    expect((await admin.patch('/users/update-admin', { username: 'olga', is_admin: 'False' })).status).toBe(
      200,
    );
    expect((await admin.getOk('/users/get', { username: 'olga' })).user.is_admin).toBe(false);
    expectError(
      await admin.patch('/users/update-admin', { username: 'olga', is_admin: 'maybe' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /must be either 'true' or 'false'/,
    );
    expectError(
      await admin.patch('/users/update-admin', { username: 'ghost', is_admin: true }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect((await admin.delete('/users/delete', { username: 'olga' })).body).toEqual({});
    expectError(await admin.get('/users/get', { username: 'olga' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await admin.delete('/users/delete', { username: 'olga' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    // The wrong method is a 405 naming the right one.
    const wrongMethod = await admin.post('/users/update-admin', { username: 'x', is_admin: true });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('PATCH');
  });

  test("experiment permissions: create, get, update, delete with MLflow's shapes and errors", async () => {
    const experimentId = await admin.createExperiment('mlflow-auth-permissions');
    const { rest: paul } = await auth.user('paul');
    const paulId = (await admin.getOk('/users/get', { username: 'paul' })).user.id;

    const created = await admin.ok('/experiments/permissions/create', {
      experiment_id: experimentId,
      username: 'paul',
      permission: 'READ',
    });
    expect(created).toEqual({
      experiment_permission: { experiment_id: experimentId, user_id: paulId, permission: 'READ' },
    });
    expect((await paul.get('/experiments/get', { experiment_id: experimentId })).status).toBe(200);
    expectError(
      await admin.post('/experiments/permissions/create', {
        experiment_id: experimentId,
        username: 'paul',
        permission: 'EDIT',
      }),
      400,
      'RESOURCE_ALREADY_EXISTS',
    );
    expect(
      await admin.getOk('/experiments/permissions/get', { experiment_id: experimentId, username: 'paul' }),
    ).toEqual(created);

    expect(
      (
        await admin.patch('/experiments/permissions/update', {
          experiment_id: experimentId,
          username: 'paul',
          permission: 'MANAGE',
        })
      ).body,
    ).toEqual({});
    expect(
      (await admin.getOk('/experiments/permissions/get', { experiment_id: experimentId, username: 'paul' }))
        .experiment_permission.permission,
    ).toBe('MANAGE');
    // Holding MANAGE, paul now manages the experiment's permissions himself.
    await auth.user('quinn');
    expect(
      (
        await paul.post('/experiments/permissions/create', {
          experiment_id: experimentId,
          username: 'quinn',
          permission: 'EDIT',
        })
      ).status,
    ).toBe(200);

    expect(
      (
        await admin.delete('/experiments/permissions/delete', {
          experiment_id: experimentId,
          username: 'paul',
        })
      ).body,
    ).toEqual({});
    expectError(
      await admin.get('/experiments/permissions/get', { experiment_id: experimentId, username: 'paul' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
      `Experiment permission with experiment_id=${experimentId} and username=paul not found`,
    );
    expectError(
      await paul.get('/experiments/get', { experiment_id: experimentId }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await admin.patch('/experiments/permissions/update', {
        experiment_id: experimentId,
        username: 'paul',
        permission: 'READ',
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await admin.delete('/experiments/permissions/delete', {
        experiment_id: experimentId,
        username: 'paul',
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('experiment permissions refuse bad input, non-managers (403) and outsiders (404)', async () => {
    const experimentId = await admin.createExperiment('mlflow-auth-refusals');
    const { rest: reader } = await auth.user('rita', { role: 'reader' });
    const { rest: outsider } = await auth.user('otto');
    const grant = { experiment_id: experimentId, username: 'rita', permission: 'MANAGE' };
    expectError(await reader.post('/experiments/permissions/create', grant), 403, 'PERMISSION_DENIED');
    expectError(
      await outsider.post('/experiments/permissions/create', grant),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await outsider.get('/experiments/permissions/get', { experiment_id: experimentId, username: 'rita' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
      `No Experiment with id=${experimentId} exists`,
    );
    expectError(
      await admin.post('/experiments/permissions/create', { ...grant, permission: 'OWNER' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Invalid permission 'OWNER'/,
    );
    expectError(
      await admin.post('/experiments/permissions/create', { experiment_id: experimentId, username: 'rita' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Missing value for required parameter 'permission'/,
    );
    expectError(
      await admin.post('/experiments/permissions/create', { ...grant, experiment_id: '987654' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await admin.post('/experiments/permissions/create', { ...grant, username: 'ghost' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    // Nothing was granted.
    expectError(
      await admin.get('/experiments/permissions/get', { experiment_id: experimentId, username: 'rita' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('served under /ajax-api too, and 401 with a Basic challenge without credentials', async () => {
    const ajax = new MlflowRest(auth.server.url, '/ajax-api/2.0/mlflow').withHeaders(
      basicAuth(adminCredentials.username, adminCredentials.password),
    );
    expect((await ajax.getOk('/users/get', { username: adminCredentials.username })).user.is_admin).toBe(
      true,
    );
    const anonymous = await auth.anonymous.get('/users/get', { username: adminCredentials.username });
    expectError(anonymous, 401, 'UNAUTHENTICATED');
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="keel", charset="UTF-8"');
  });
});
