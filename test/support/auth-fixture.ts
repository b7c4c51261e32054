import { expect } from 'vitest';
import type { Engine } from './databases.js';
import { MlflowRest, type RestAnswer } from './mlflow-rest.js';
import { startTestServer, type TestServer } from './server.js';

export const adminCredentials = { username: 'root-admin', password: 'root-admin-password-0123' };

export function basicAuth(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** Calls to Keel's own API (`/api/keel/v1`) with fixed headers. */
export class KeelApi {
  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RestAnswer> {
    const response = await fetch(`${this.baseUrl}/api/keel/v1${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...this.headers,
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json') && text !== '';
    return {
      status: response.status,
      headers: response.headers,
      body: json ? JSON.parse(text) : undefined,
      text,
    };
  }

  /** A call that must answer 2xx; returns the body. */
  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const answer = await this.send(method, path, body);
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  }
}

/** A server with authentication on, its first administrator from the environment. */
export interface AuthServer {
  server: TestServer;
  /** Keel's API as the site administrator. */
  admin: KeelApi;
  /** MLflow's API as the site administrator. */
  adminRest: MlflowRest;
  /** MLflow's API without credentials. */
  anonymous: MlflowRest;
  /** Creates a user with a password and returns MLflow and Keel API clients that send Basic auth. */
  user(
    username: string,
    options?: { role?: string; workspace?: string },
  ): Promise<{ rest: MlflowRest; api: KeelApi; password: string }>;
  close(): Promise<void>;
}

export async function startAuthServer(engine: Engine): Promise<AuthServer> {
  const server = await startTestServer({ engine, auth: { admin: adminCredentials } });
  const adminHeaders = basicAuth(adminCredentials.username, adminCredentials.password);
  const admin = new KeelApi(server.url, adminHeaders);
  return {
    server,
    admin,
    adminRest: new MlflowRest(server.url).withHeaders(adminHeaders),
    anonymous: new MlflowRest(server.url),
    async user(username, options = {}) {
      const password = `${username}-password-0123`;
      await admin.ok('POST', '/users', { username, password });
      if (options.role)
        await admin.ok('PUT', `/workspaces/${options.workspace ?? 'default'}/roles`, {
          user: username,
          role: options.role,
        });
      const headers = basicAuth(username, password);
      return {
        rest: new MlflowRest(server.url).withHeaders(headers),
        api: new KeelApi(server.url, headers),
        password,
      };
    },
    close: () => server.close(),
  };
}
