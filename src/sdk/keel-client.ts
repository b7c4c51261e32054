import { ArtifactsApi } from './artifacts-api.js';
import { AsyncLogger } from './async-logger.js';
import type { AsyncLoggerOptions } from './async-logger.js';
import { AuditApi } from './audit-api.js';
import { AuthApi } from './auth-api.js';
import { ExperimentsApi } from './experiments-api.js';
import { collectSourceTags } from './git-info.js';
import { GroupsApi } from './groups-api.js';
import { HttpTransport } from './http-transport.js';
import { PermissionsApi } from './permissions-api.js';
import { RunsApi } from './runs-api.js';
import { TokensApi } from './tokens-api.js';
import { ServiceAccountsApi, UsersApi } from './users-api.js';
import { RolesApi, WorkspacesApi } from './workspaces-api.js';

export const defaultTrackingUri = 'http://127.0.0.1:5000';

export interface KeelClientOptions {
  /** The server, `http(s)://host:port[/prefix]` (default `http://127.0.0.1:5000`). */
  trackingUri?: string;
  /** An API token, sent as `Authorization: Bearer` (wins over a username and password). */
  token?: string;
  /** HTTP basic auth, with `password` (which may also be an API token). */
  username?: string;
  password?: string;
  /** The workspace to work in, sent as `X-Keel-Workspace` (the server's `default` when absent). */
  workspace?: string;
  /** Retries of 429/502/503/504 answers and connection resets (default 3). */
  maxRetries?: number;
  /** First retry delay in ms, doubled on each retry (default 250). */
  retryDelayMs?: number;
  /** Deadline of one JSON call in ms (default 120000); artifact transfers have none. */
  timeoutMs?: number;
}

/**
 * Keel's typed client for the MLflow REST API a Keel (or MLflow) server speaks, and for Keel's own
 * API (users, groups, workspaces, roles, permissions, tokens, the audit trail). Every failure is a
 * `KeelError` with the server's code (and the HTTP status of that code, `error.status`); an
 * unreachable server is `TEMPORARILY_UNAVAILABLE`.
 *
 * @example
 * import { KeelClient } from 'keel';
 * const client = new KeelClient({ trackingUri: 'http://127.0.0.1:5000' });
 * const experimentId = await client.experiments.create('churn');
 * const run = await client.runs.create({ experimentId, runName: 'baseline', captureGit: true });
 * await client.runs.logBatch(run.info.runId, { params: { lr: 0.1 }, metrics: [{ key: 'loss', value: 0.4, step: 1 }] });
 * await client.artifacts.uploadFile(run.info.runId, './model.json', 'model');
 * await client.runs.terminate(run.info.runId);
 *
 * @example
 * const admin = new KeelClient({ trackingUri, token: process.env.KEEL_TOKEN });
 * await admin.users.create('ada', 'a long enough password');
 * await admin.roles.grant('default', { user: 'ada' }, 'editor');
 * const { token } = await admin.tokens.create('ci', { username: 'ada', expiresInDays: 30 });
 */
export class KeelClient {
  readonly trackingUri: string;
  readonly experiments: ExperimentsApi;
  readonly runs: RunsApi;
  readonly artifacts: ArtifactsApi;
  readonly auth: AuthApi;
  readonly users: UsersApi;
  readonly serviceAccounts: ServiceAccountsApi;
  readonly groups: GroupsApi;
  readonly workspaces: WorkspacesApi;
  readonly roles: RolesApi;
  readonly permissions: PermissionsApi;
  readonly tokens: TokensApi;
  readonly audit: AuditApi;
  private readonly http: HttpTransport;

  constructor(options: KeelClientOptions = {}) {
    this.http = new HttpTransport({ ...options, trackingUri: options.trackingUri ?? defaultTrackingUri });
    this.trackingUri = this.http.baseUrl;
    this.experiments = new ExperimentsApi(this.http);
    this.runs = new RunsApi(this.http, collectSourceTags);
    this.artifacts = new ArtifactsApi(this.http, this.runs);
    this.auth = new AuthApi(this.http);
    this.users = new UsersApi(this.http);
    this.serviceAccounts = new ServiceAccountsApi(this.http);
    this.groups = new GroupsApi(this.http);
    this.workspaces = new WorkspacesApi(this.http);
    this.roles = new RolesApi(this.http);
    this.permissions = new PermissionsApi(this.http);
    this.tokens = new TokensApi(this.http);
    this.audit = new AuditApi(this.http);
  }

  /**
   * A client configured from environment variables, as MLflow's client reads them: the tracking URI
   * from `KEEL_TRACKING_URI`, then `MLFLOW_TRACKING_URI`; an API token from `KEEL_TOKEN`, then
   * `KEEL_TRACKING_TOKEN`, then `MLFLOW_TRACKING_TOKEN`; basic auth from `MLFLOW_TRACKING_USERNAME`
   * and `MLFLOW_TRACKING_PASSWORD` (or `KEEL_TRACKING_USERNAME`/`_PASSWORD`); the workspace from
   * `KEEL_WORKSPACE`. `overrides` win over the environment. The SDK reads no globals: pass the
   * environment yourself (`KeelClient.fromEnv(process.env)` in a script).
   */
  static fromEnv(env: Record<string, string | undefined>, overrides: KeelClientOptions = {}): KeelClient {
    return new KeelClient(KeelClient.optionsFromEnv(env, overrides));
  }

  /** The options `fromEnv` builds a client with. */
  static optionsFromEnv(
    env: Record<string, string | undefined>,
    overrides: KeelClientOptions = {},
  ): KeelClientOptions {
    const pick = (...names: string[]): string | undefined =>
      names.map((name) => env[name]).find((value) => value !== undefined && value !== '');
    const options: KeelClientOptions = {
      trackingUri: pick('KEEL_TRACKING_URI', 'MLFLOW_TRACKING_URI'),
      token: pick('KEEL_TOKEN', 'KEEL_TRACKING_TOKEN', 'MLFLOW_TRACKING_TOKEN'),
      username: pick('KEEL_TRACKING_USERNAME', 'MLFLOW_TRACKING_USERNAME'),
      password: pick('KEEL_TRACKING_PASSWORD', 'MLFLOW_TRACKING_PASSWORD'),
      workspace: pick('KEEL_WORKSPACE'),
    };
    for (const [key, value] of Object.entries(overrides)) {
      if (value !== undefined) (options as Record<string, unknown>)[key] = value;
    }
    return options;
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
