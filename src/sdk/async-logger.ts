import { KeelError } from '../core/errors.js';
import { mlflowBatchLimits, splitBatch } from './batch-split.js';
import type { BatchEntry } from './batch-split.js';
import type { RunsApi } from './runs-api.js';
import { toMetric } from './runs-api.js';

export interface AsyncLoggerOptions {
  /** Queued entries are sent at most this long after they were logged (default 1000 ms). */
  flushIntervalMs?: number;
  /** Entries per request, and the queue length that triggers a send at once (default 1000, at most 1000). */
  maxBatch?: number;
}

/**
 * Logs metrics, params and tags of one run without waiting for the server: entries are queued and
 * sent in `log-batch` requests, in the order they were logged, every `flushIntervalMs` or as soon as
 * `maxBatch` are waiting. A failed send surfaces on the next `flush()` or `close()`. Before the
 * process exits (`beforeExit`) whatever is queued is sent; a failure then becomes a process warning.
 *
 * @example
 * const logger = client.asyncLogger(run.info.runId, { flushIntervalMs: 500 });
 * for (let step = 0; step < 100; step++) logger.logMetric('loss', 1 / (step + 1), { step });
 * await logger.close();
 */
export class AsyncLogger {
  private queue: BatchEntry[] = [];
  private chain: Promise<void> = Promise.resolve();
  private failure: KeelError | Error | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly onBeforeExit = (): void => {
    if (this.queue.length === 0) return;
    void this.drain().then(() => {
      const failure = this.takeFailure();
      if (failure) process.emitWarning(`Keel async logger: ${failure.message}`, 'KeelAsyncLoggerWarning');
    });
  };

  constructor(
    private readonly runs: RunsApi,
    readonly runId: string,
    options: AsyncLoggerOptions = {},
  ) {
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 1000);
    this.maxBatch = Math.min(Math.max(1, Math.floor(options.maxBatch ?? 1000)), mlflowBatchLimits.maxEntries);
    process.on('beforeExit', this.onBeforeExit);
  }

  /** Entries logged but not yet sent. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues a metric point; `timestamp` defaults to now (the time of this call), `step` to 0. */
  logMetric(key: string, value: number, options: { step?: number; timestamp?: number } = {}): void {
    this.enqueue({ kind: 'metric', metric: toMetric({ key, value, ...options }) });
  }

  logMetrics(metrics: Record<string, number>, options: { step?: number; timestamp?: number } = {}): void {
    const timestamp = options.timestamp ?? Date.now();
    for (const [key, value] of Object.entries(metrics)) this.logMetric(key, value, { ...options, timestamp });
  }

  logParam(key: string, value: string | number | boolean): void {
    this.enqueue({ kind: 'param', param: { key, value: String(value) } });
  }

  logParams(params: Record<string, string | number | boolean>): void {
    for (const [key, value] of Object.entries(params)) this.logParam(key, value);
  }

  setTag(key: string, value: string): void {
    this.enqueue({ kind: 'tag', tag: { key, value } });
  }

  /** Sends everything queued so far; throws the first failure since the last `flush()`. */
  async flush(): Promise<void> {
    await this.drain();
    const failure = this.takeFailure();
    if (failure) throw failure;
  }

  /** Flushes, then stops: later logging throws `INVALID_STATE`. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.flush();
    } finally {
      process.off('beforeExit', this.onBeforeExit);
    }
  }

  private enqueue(entry: BatchEntry): void {
    if (this.closed) {
      throw new KeelError(
        'INVALID_STATE',
        `The async logger of run ${this.runId} is closed; create a new one`,
      );
    }
    this.queue.push(entry);
    if (this.queue.length >= this.maxBatch) void this.drain();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Sends what is queued now, after any send already under way. Never rejects. */
  private drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const entries = this.queue;
    this.queue = [];
    if (entries.length === 0) return this.chain;
    this.chain = this.chain.then(() => this.send(entries));
    return this.chain;
  }

  private async send(entries: BatchEntry[]): Promise<void> {
    const batches = splitBatch(entries, { ...mlflowBatchLimits, maxEntries: this.maxBatch });
    let sent = 0;
    for (const batch of batches) {
      try {
        await this.runs.sendBatch(this.runId, batch);
      } catch (error) {
        const lost = entries.length - sent;
        this.failure ??= withLoss(error, lost, this.runId);
        return;
      }
      sent += batch.metrics.length + batch.params.length + batch.tags.length;
    }
  }

  private takeFailure(): Error | undefined {
    const failure = this.failure;
    this.failure = undefined;
    return failure;
  }
}

function withLoss(error: unknown, lost: number, runId: string): Error {
  const note = `(async logger: ${lost} queued entr${lost === 1 ? 'y' : 'ies'} of run ${runId} were not logged)`;
  if (error instanceof KeelError) return new KeelError(error.code, `${error.message} ${note}`);
  return new Error(`${error instanceof Error ? error.message : String(error)} ${note}`, { cause: error });
}
