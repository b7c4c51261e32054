import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { processEnvironment, resolveServerConfig } from './config.js';

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
