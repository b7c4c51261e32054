import { request } from 'node:http';
import type { Readable } from 'node:stream';

/** A JSON answer of the MLflow REST API. */
export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Small MLflow REST calls over real HTTP, for the artifact and gc tests. */
export class MlflowRest {
  constructor(readonly url: string) {}

  async call(method: string, path: string, body?: unknown): Promise<JsonAnswer> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  async ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const answer = await this.call(method, path, body);
    if (answer.status !== 200)
      throw new Error(`${method} ${path} -> ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async createExperiment(name: string, artifactLocation?: string): Promise<string> {
    const body = await this.ok('POST', '/api/2.0/mlflow/experiments/create', {
      name,
      ...(artifactLocation === undefined ? {} : { artifact_location: artifactLocation }),
    });
    return body.experiment_id as string;
  }

  /** Creates a run; `root` is its artifact folder as a proxy path (`<exp>/<run>/artifacts`). */
  async createRun(experimentId: string): Promise<{ runId: string; artifactUri: string; root: string }> {
    const body = await this.ok('POST', '/api/2.0/mlflow/runs/create', {
      experiment_id: experimentId,
      start_time: Date.now(),
    });
    const info = (body.run as { info: { run_id: string; artifact_uri: string } }).info;
    return { runId: info.run_id, artifactUri: info.artifact_uri, root: proxyPathOf(info.artifact_uri) };
  }

  async createLoggedModel(
    experimentId: string,
    name: string,
  ): Promise<{ modelId: string; artifactUri: string; root: string }> {
    const body = await this.ok('POST', '/api/2.0/mlflow/logged-models', {
      experiment_id: experimentId,
      name,
    });
    const info = (body.model as { info: { model_id: string; artifact_uri: string } }).info;
    return { modelId: info.model_id, artifactUri: info.artifact_uri, root: proxyPathOf(info.artifact_uri) };
  }

  /** PUT an artifact through the proxy; resolves with the status and JSON body. */
  async upload(
    path: string,
    body: string | Buffer,
    contentType = 'application/octet-stream',
  ): Promise<JsonAnswer> {
    const response = await fetch(`${this.url}/api/2.0/mlflow-artifacts/artifacts/${encodePath(path)}`, {
      method: 'PUT',
      headers: { 'content-type': contentType },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  download(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}/api/2.0/mlflow-artifacts/artifacts/${encodePath(path)}`, { headers });
  }

  listProxy(dir: string): Promise<JsonAnswer> {
    return this.call('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(dir)}`);
  }
}

/** `mlflow-artifacts:/1/abc/artifacts` -> `1/abc/artifacts`. */
export function proxyPathOf(artifactUri: string): string {
  if (!artifactUri.startsWith('mlflow-artifacts:/'))
    throw new Error(`not a proxied location: ${artifactUri}`);
  return artifactUri.slice('mlflow-artifacts:/'.length).replace(/^\/+/, '');
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export interface RawAnswer {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Set when the connection failed before an answer arrived. */
  error?: string;
}

/**
 * One request with `node:http`, sending `target` exactly as given (no URL normalisation, so `..`
 * reaches the server) and an optional streamed body.
 */
export function rawRequest(
  url: string,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: Readable } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolveAnswer) => {
    const req = request({ host: hostname, port, method, path: target, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolveAnswer({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', (error) =>
        resolveAnswer({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks),
          error: String(error),
        }),
      );
    });
    req.on('error', (error) => resolveAnswer({ headers: {}, body: Buffer.alloc(0), error: String(error) }));
    if (options.body === undefined) req.end();
    else {
      options.body.on('error', () => req.destroy());
      options.body.pipe(req);
    }
  });
}
