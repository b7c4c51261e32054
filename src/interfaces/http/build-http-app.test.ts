import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { composeServices } from '../../app/index.js';
import { migrate, openDatabase, type SqlDatabase } from '../../backends/sql/index.js';
import { KeelError } from '../../core/errors.js';
import { buildHttpApp } from './build-http-app.js';
import { errorAnswer } from './error-handler.js';

describe('errorAnswer', () => {
  test('a KeelError answers its catalog status, code and message', () => {
    expect(errorAnswer(new KeelError('RESOURCE_ALREADY_EXISTS', 'taken'), 'r1')).toEqual({
      status: 400,
      body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'taken' },
    });
    expect(errorAnswer(new KeelError('RESOURCE_DOES_NOT_EXIST', 'gone'), 'r1').status).toBe(404);
  });

  test('anything unexpected is 500 INTERNAL_ERROR naming only the request id', () => {
    const answer = errorAnswer(new Error('password=hunter2 at /srv/db.ts:42'), 'req-7');
    expect(answer).toEqual({
      status: 500,
      body: { error_code: 'INTERNAL_ERROR', message: 'Internal error, request id req-7' },
    });
    expect(errorAnswer('a string', 'req-8').status).toBe(500);
    expect(errorAnswer(Object.assign(new Error('x'), { statusCode: 400 }), 'req-9').status).toBe(500);
  });
});

describe('buildHttpApp', () => {
  let app: FastifyInstance;
  let database: SqlDatabase;
  let dir: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keel-http-'));
    database = openDatabase('sqlite:///:memory:');
    await migrate(database.db, database.caps);
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    app = buildHttpApp({
      services: composeServices(database, {
        artifactsDestination: join(dir, 'artifacts'),
        maxArtifactBytes: 1024,
        auth: { enabled: false, cacheTtlMs: 1000, passwordCost: 10, cookieSecure: false },
      }),
      logger: pino({ level: 'info' }, sink),
      version: '9.9.9-test',
      serveArtifacts: true,
      cookieSecure: false,
    });
    app.get('/test/boom', async () => {
      throw new Error('secret connection string postgres://admin:pw@db');
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an unexpected error is a bare 500 with the request id; the log has the stack', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/test/boom',
      headers: { 'x-request-id': 'boom-1' },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error_code: 'INTERNAL_ERROR',
      message: 'Internal error, request id boom-1',
    });
    expect(response.body).not.toContain('secret');
    const logged = lines.find((line) => line.reqId === 'boom-1' && line.level === 50);
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain('secret connection string');
  });

  test('every log line of a request carries its request id, also sent back in x-request-id', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    const id = response.headers['x-request-id'];
    expect(typeof id).toBe('string');
    const own = lines.filter((line) => line.reqId === id);
    // One access line per request, with what an operator looks for.
    expect(own).toEqual([
      expect.objectContaining({
        msg: 'request',
        method: 'GET',
        url: '/health',
        status: 200,
        ms: expect.any(Number),
      }),
    ]);
  });

  test('/version answers the version text', async () => {
    const response = await app.inject({ method: 'GET', url: '/version' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('9.9.9-test');
  });

  test('the MLflow routes are mounted', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/experiments/get?experiment_id=0',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().experiment.name).toBe('Default');
  });
});

describe('buildHttpApp with authentication on', () => {
  let app: FastifyInstance;
  let database: SqlDatabase;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keel-http-auth-'));
    database = openDatabase('sqlite:///:memory:');
    await migrate(database.db, database.caps);
    app = buildHttpApp({
      services: composeServices(database, {
        artifactsDestination: join(dir, 'artifacts'),
        maxArtifactBytes: 1024,
        auth: { enabled: true, cacheTtlMs: 1000, passwordCost: 10, cookieSecure: true },
      }),
      logger: pino({ level: 'silent' }),
      version: '9.9.9-test',
      serveArtifacts: true,
      cookieSecure: true,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/health, /version and the login endpoint answer without credentials', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/version' })).statusCode).toBe(200);
    const login = await app.inject({
      method: 'POST',
      url: '/api/keel/v1/auth/login',
      payload: { username: 'nobody', password: 'not-a-password' },
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().error_code).toBe('UNAUTHENTICATED');
  });

  test('everything else is 401 with a Basic challenge, except on the browser paths', async () => {
    const mlflow = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/experiments/get?experiment_id=0',
    });
    expect(mlflow.statusCode).toBe(401);
    expect(mlflow.headers['www-authenticate']).toBe('Basic realm="keel", charset="UTF-8"');
    expect(mlflow.json().error_code).toBe('UNAUTHENTICATED');
    for (const url of ['/ajax-api/2.0/mlflow/experiments/get?experiment_id=0', '/api/keel/v1/auth/session']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['www-authenticate']).toBeUndefined();
    }
    // An unknown path does not tell an anonymous caller whether it exists.
    expect((await app.inject({ method: 'GET', url: '/api/2.0/mlflow/nothing-here' })).statusCode).toBe(401);
  });
});
