import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { isLoopback, processEnvironment, resolveServerConfig, resolveStoreConfig } from './config.js';

describe('resolveServerConfig', () => {
  it('defaults to loopback, port 5000 and the embedded SQLite and folder', () => {
    const config = resolveServerConfig({}, {});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 5000,
      backendStoreUri: 'sqlite:///./keel-data/keel.db',
      artifactsDestination: resolve('keel-data/artifacts'),
      serveArtifacts: true,
      workers: 1,
      logLevel: 'info',
    });
  });

  it('lets flags win over KEEL_ variables, which win over MLflow names', () => {
    const env = {
      KEEL_PORT: '6000',
      MLFLOW_PORT: '7000',
      MLFLOW_BACKEND_STORE_URI: 'postgresql://u@h/db',
      KEEL_HOST: '0.0.0.0',
      KEEL_AUTH: 'true',
    };
    expect(resolveServerConfig({}, env)).toMatchObject({
      port: 6000,
      host: '0.0.0.0',
      backendStoreUri: 'postgresql://u@h/db',
    });
    expect(resolveServerConfig({ port: 8000, host: '::1' }, env)).toMatchObject({ port: 8000, host: '::1' });
  });

  it('takes --default-artifact-root as the artifacts destination, file:// URIs included', () => {
    expect(
      resolveServerConfig({ defaultArtifactRoot: 'file:///tmp/keel-art' }, {}).artifactsDestination,
    ).toBe('/tmp/keel-art');
    expect(
      resolveServerConfig({ artifactsDestination: './x', defaultArtifactRoot: './y' }, {})
        .artifactsDestination,
    ).toBe(resolve('x'));
  });

  it('reads file:// URIs as file URLs: localhost is the local host, %-escapes are decoded', () => {
    const destination = (value: string) =>
      resolveServerConfig({ artifactsDestination: value }, {}).artifactsDestination;
    expect(destination('file://localhost/srv/keel%20art')).toBe('/srv/keel art');
    expect(destination('file:///srv/a')).toBe('/srv/a');
    expect(destination('file://./rel/dir')).toBe(resolve('rel/dir'));
    expect(() => destination('file://')).toThrow(/no folder given/);
  });

  it('leaves authentication off on loopback unless asked, with its defaults', () => {
    expect(resolveServerConfig({}, {}).auth).toEqual({
      enabled: false,
      cacheTtlMs: 1000,
      passwordCost: 16,
      cookieSecure: false,
    });
    expect(resolveServerConfig({ auth: true }, {}).auth.enabled).toBe(true);
    expect(resolveServerConfig({}, { KEEL_AUTH: 'true' }).auth.enabled).toBe(true);
    expect(resolveServerConfig({ auth: false }, { KEEL_AUTH: 'true' }).auth.enabled).toBe(false);
    expect(
      resolveServerConfig({ authCacheTtlMs: 0, passwordCost: 10 }, { KEEL_AUTH_CACHE_TTL: '5000' }).auth,
    ).toMatchObject({ cacheTtlMs: 0, passwordCost: 10 });
    expect(
      resolveServerConfig({}, { KEEL_AUTH_CACHE_TTL: '5000', KEEL_PASSWORD_COST: '12' }).auth,
    ).toMatchObject({ cacheTtlMs: 5000, passwordCost: 12 });
  });

  it('refuses a non-loopback address without --auth or --insecure-no-auth, saying how to fix it', () => {
    expect(() => resolveServerConfig({ host: '0.0.0.0' }, {})).toThrow(
      'Refusing to listen on 0.0.0.0 without authentication. Start with --auth (and create an admin: keel users create-admin) or pass --insecure-no-auth if this network is trusted.',
    );
    expect(() => resolveServerConfig({}, { KEEL_HOST: '10.1.2.3', KEEL_AUTH: 'false' })).toThrow(/Refusing/);
    const secured = resolveServerConfig({ host: '0.0.0.0', auth: true }, {});
    expect(secured.auth).toMatchObject({ enabled: true, cookieSecure: true });
    const open = resolveServerConfig({ host: '0.0.0.0' }, { KEEL_INSECURE_NO_AUTH: 'true' });
    expect(open.auth.enabled).toBe(false);
    expect(() => resolveServerConfig({ auth: true, insecureNoAuth: true }, {})).toThrow(/contradict/);
    expect(resolveServerConfig({ host: '127.0.0.1' }, { KEEL_COOKIE_SECURE: 'true' }).auth.cookieSecure).toBe(
      true,
    );
  });

  it('takes the first administrator from the environment, both names or neither', () => {
    expect(
      resolveServerConfig({}, { KEEL_ADMIN_USERNAME: 'root', KEEL_ADMIN_PASSWORD: 'long-password-1234' }).auth
        .admin,
    ).toEqual({ username: 'root', password: 'long-password-1234' });
    expect(() => resolveServerConfig({}, { KEEL_ADMIN_USERNAME: 'root' })).toThrow(
      /both KEEL_ADMIN_USERNAME/,
    );
  });

  it('does not apply listening or auth settings to the store-only commands', () => {
    expect(resolveStoreConfig({}, { KEEL_HOST: '0.0.0.0', KEEL_ADMIN_USERNAME: 'x' }).backendStoreUri).toBe(
      'sqlite:///./keel-data/keel.db',
    );
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.2', false],
    ['keel.example.com', false],
    ['127.0.0.1.example.com', false],
  ])('isLoopback(%s) is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });

  it('processEnvironment hands out the process environment, for the bin to pass on', () => {
    expect(processEnvironment()).toBe(process.env);
  });

  it.each([
    [{ port: 70000 }, {}, /Invalid port '70000'/],
    [{}, { KEEL_WORKERS: 'many' }, /Invalid workers 'many'/],
    [{ workers: 0 }, {}, /Invalid workers '0'/],
    [{ logLevel: 'loud' }, {}, /Invalid log level 'loud'/],
    [{}, { KEEL_SERVE_ARTIFACTS: 'maybe' }, /expected true or false/],
    [{ artifactsDestination: 'gs://bucket/x' }, {}, /Unsupported artifacts destination/],
    [{}, { KEEL_AUTH: 'sometimes' }, /Invalid KEEL_AUTH/],
    [{}, { KEEL_PASSWORD_COST: '4' }, /Invalid KEEL_PASSWORD_COST/],
    [{}, { KEEL_AUTH_CACHE_TTL: '-1' }, /Invalid KEEL_AUTH_CACHE_TTL/],
  ])('rejects %j %j with a message naming the setting', (flags, env, message) => {
    let caught: unknown;
    try {
      resolveServerConfig(flags, env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KeelError);
    expect((caught as KeelError).code).toBe('INVALID_PARAMETER_VALUE');
    expect((caught as KeelError).message).toMatch(message);
  });
});
