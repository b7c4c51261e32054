import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LocalBlobStore } from '../../backends/blob/index.js';
import { migrate, openDatabase, SqlTrackingStore, type SqlDatabase } from '../../backends/sql/index.js';
import { KeelError } from '../../core/errors.js';
import { ArtifactService } from '../../services/artifacts/index.js';
import { TrackingService } from '../../services/tracking/index.js';
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
    const store = new SqlTrackingStore(database);
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    app = buildHttpApp({
      services: {
        tracking: new TrackingService({ store }),
        artifacts: new ArtifactService({ store, blobs: new LocalBlobStore(join(dir, 'artifacts')) }),
      },
      logger: pino({ level: 'info' }, sink),
      version: '9.9.9-test',
      serveArtifacts: true,
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
