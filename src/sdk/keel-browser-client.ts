import { AuthApi } from './auth-api.js';
import { ExperimentsApi } from './experiments-api.js';
import { HttpTransport } from './http-transport.js';
import { RunArtifactsApi } from './run-artifacts-api.js';
import { RunsApi } from './runs-api.js';
import { WorkspacesApi } from './workspaces-api.js';

export interface KeelBrowserClientOptions {
  /** The server's origin (a page served by Keel passes `window.location.origin`). */
  trackingUri: string;
  /** Sent as `X-Keel-Workspace`; the server's default (or the caller's) when absent. */
  workspace?: string;
  /** The session's CSRF token, read before each request that changes something. */
  csrfToken?: () => string | undefined;
  /** Deadline of one call in ms (default 30000). */
  timeoutMs?: number;
  /** Retries of 429/502/503/504 answers (default 1: a person is waiting). */
  maxRetries?: number;
}

/**
 * The part of the SDK a browser page can use: the tracking API (experiments, runs) and who is
 * signed in. It imports nothing from Node, so a bundler can ship it; credentials are the browser's
 * session cookie (sent by the browser itself) plus the CSRF token the options supply.
 *
 * @example
 * let csrf: string | undefined;
 * const client = new KeelBrowserClient({ trackingUri: window.location.origin, csrfToken: () => csrf });
 * csrf = (await client.auth.login('ada', 'a long enough password')).csrfToken;
 * const page = await client.runs.search({ experimentIds: ['1'], filter: 'metrics.loss < 0.1' });
 */
export class KeelBrowserClient {
  readonly trackingUri: string;
  readonly workspace: string | undefined;
  readonly experiments: ExperimentsApi;
  readonly runs: RunsApi;
  /** A run's artifacts: list folders, read a file's first bytes, download links. */
  readonly artifacts: RunArtifactsApi;
  readonly auth: AuthApi;
  readonly workspaces: WorkspacesApi;

  constructor(options: KeelBrowserClientOptions) {
    const http = new HttpTransport({
      trackingUri: options.trackingUri,
      workspace: options.workspace,
      csrfToken: options.csrfToken,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 1,
    });
    this.trackingUri = http.baseUrl;
    this.workspace = options.workspace;
    this.experiments = new ExperimentsApi(http);
    this.runs = new RunsApi(http);
    this.artifacts = new RunArtifactsApi(http);
    this.auth = new AuthApi(http);
    this.workspaces = new WorkspacesApi(http);
  }
}
