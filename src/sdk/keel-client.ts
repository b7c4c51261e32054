import { ArtifactsApi } from './artifacts-api.js';
import { AsyncLogger } from './async-logger.js';
import type { AsyncLoggerOptions } from './async-logger.js';
import { ExperimentsApi } from './experiments-api.js';
import { HttpTransport } from './http-transport.js';
import { RunsApi } from './runs-api.js';

export const defaultTrackingUri = 'http://127.0.0.1:5000';

export interface KeelClientOptions {
  /** The server, `http(s)://host:port[/prefix]` (default `http://127.0.0.1:5000`). */
  trackingUri?: string;
  /** Bearer token. */
  token?: string;
  /** HTTP basic auth, with `password`. */
  username?: string;
  password?: string;
  /** Retries of 429/502/503/504 answers and connection resets (default 3). */
  maxRetries?: number;
  /** First retry delay in ms, doubled on each retry (default 250). */
  retryDelayMs?: number;
  /** Deadline of one JSON call in ms (default 120000); artifact transfers have none. */
  timeoutMs?: number;
}

/**
 * Keel's typed client for the MLflow REST API a Keel (or MLflow) server speaks. Every failure is a
 * `KeelError` with the server's code; an unreachable server is `TEMPORARILY_UNAVAILABLE`.
 *
 * @example
 * import { KeelClient } from 'keel';
 * const client = new KeelClient({ trackingUri: 'http://127.0.0.1:5000' });
 * const experimentId = await client.experiments.create('churn');
 * const run = await client.runs.create({ experimentId, runName: 'baseline', captureGit: true });
 * await client.runs.logBatch(run.info.runId, { params: { lr: 0.1 }, metrics: [{ key: 'loss', value: 0.4, step: 1 }] });
 * await client.artifacts.uploadFile(run.info.runId, './model.json', 'model');
 * await client.runs.terminate(run.info.runId);
 */
export class KeelClient {
  readonly trackingUri: string;
  readonly experiments: ExperimentsApi;
  readonly runs: RunsApi;
  readonly artifacts: ArtifactsApi;
  private readonly http: HttpTransport;

  constructor(options: KeelClientOptions = {}) {
    this.http = new HttpTransport({ ...options, trackingUri: options.trackingUri ?? defaultTrackingUri });
    this.trackingUri = this.http.baseUrl;
    this.experiments = new ExperimentsApi(this.http);
    this.runs = new RunsApi(this.http);
    this.artifacts = new ArtifactsApi(this.http, this.runs);
  }

  /**
   * A client configured from environment variables, as MLflow's client reads them: the tracking URI
   * from `KEEL_TRACKING_URI`, then `MLFLOW_TRACKING_URI`; a bearer token from `KEEL_TRACKING_TOKEN`
   * or `MLFLOW_TRACKING_TOKEN`; basic auth from `MLFLOW_TRACKING_USERNAME` and
   * `MLFLOW_TRACKING_PASSWORD`. `overrides` win over the environment. The SDK reads no globals:
   * pass the environment yourself (`KeelClient.fromEnv(process.env)` in a script).
   */
  static fromEnv(env: Record<string, string | undefined>, overrides: KeelClientOptions = {}): KeelClient {
    const pick = (...names: string[]): string | undefined =>
      names.map((name) => env[name]).find((value) => value !== undefined && value !== '');
    const options: KeelClientOptions = {
      trackingUri: pick('KEEL_TRACKING_URI', 'MLFLOW_TRACKING_URI'),
      token: pick('KEEL_TRACKING_TOKEN', 'MLFLOW_TRACKING_TOKEN'),
      username: pick('KEEL_TRACKING_USERNAME', 'MLFLOW_TRACKING_USERNAME'),
      password: pick('KEEL_TRACKING_PASSWORD', 'MLFLOW_TRACKING_PASSWORD'),
    };
    for (const [key, value] of Object.entries(overrides)) {
      if (value !== undefined) (options as Record<string, unknown>)[key] = value;
    }
    return new KeelClient(options);
  }

  /** A queue that logs to `runId` in the background; see `AsyncLogger`. Close it when done. */
  asyncLogger(runId: string, options: AsyncLoggerOptions = {}): AsyncLogger {
    return new AsyncLogger(this.runs, runId, options);
  }

  /** The server's version string (`GET /version`). */
  async serverVersion(): Promise<string> {
    const response = await this.http.request('GET', '/version');
    return (await response.text()).trim();
  }
}
