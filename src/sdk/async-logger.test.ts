import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { KeelClient } from './keel-client.js';

// A recording HTTP endpoint for log-batch; the real server's behaviour is covered in test/integration.
interface Received {
  run_id: string;
  metrics: { key: string; value: number; step: number }[];
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}
let server: Server;
let client: KeelClient;
let received: Received[] = [];
let failNext = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error_code: 'INVALID_PARAMETER_VALUE', message: 'bad batch' }));
        return;
      }
      received.push(JSON.parse(body) as Received);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new KeelClient({ trackingUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  failNext = 0;
});

describe('AsyncLogger', () => {
  it('sends nothing until flushed, then everything in order', async () => {
    const logger = client.asyncLogger('r1', { flushIntervalMs: 60_000 });
    logger.logParam('lr', 0.1);
    for (let step = 0; step < 5; step++) logger.logMetric('loss', 1 / (step + 1), { step });
    logger.setTag('phase', 'train');
    expect(logger.pending).toBe(7);
    expect(received).toHaveLength(0);
    await logger.flush();
    expect(logger.pending).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]?.metrics.map((m) => m.step)).toEqual([0, 1, 2, 3, 4]);
    expect(received[0]?.params).toEqual([{ key: 'lr', value: '0.1' }]);
    await logger.close();
  });

  it('sends a batch as soon as maxBatch entries wait, in order across batches', async () => {
    const logger = client.asyncLogger('r2', { flushIntervalMs: 60_000, maxBatch: 10 });
    for (let step = 0; step < 35; step++) logger.logMetric('m', step, { step });
    await logger.close();
    expect(received.map((r) => r.metrics.length)).toEqual([10, 10, 10, 5]);
    expect(received.flatMap((r) => r.metrics.map((m) => m.step))).toEqual(
      Array.from({ length: 35 }, (_, i) => i),
    );
  });

  it('flushes on its own after flushIntervalMs', async () => {
    const logger = client.asyncLogger('r3', { flushIntervalMs: 20 });
    logger.logMetric('m', 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(1);
    await logger.close();
  });

  it('surfaces a failed background send on the next flush, once', async () => {
    const logger = client.asyncLogger('r4', { flushIntervalMs: 10 });
    failNext = 1;
    logger.logMetric('m', 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const error = await logger.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('INVALID_PARAMETER_VALUE');
    expect((error as KeelError).message).toContain('1 queued entry of run r4 were not logged');
    await logger.flush();
    logger.logMetric('m', 2);
    await logger.close();
    expect(received.flatMap((r) => r.metrics.map((m) => m.value))).toEqual([2]);
  });

  it('refuses entries after close', async () => {
    const logger = client.asyncLogger('r5');
    await logger.close();
    expect(() => logger.logMetric('m', 1)).toThrowError(/closed/);
  });
});
