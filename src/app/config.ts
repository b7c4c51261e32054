import { resolve } from 'node:path';
import { fileUriToPath } from '../backends/blob/index.js';
import { KeelError } from '../core/errors.js';
import { logLevels, type LogLevel } from '../core/log-levels.js';
import type { ServerFlags } from '../interfaces/cli/index.js';

/** Flags of `keel server` as the CLI parsed them; undefined means "not given on the command line". */
export type { ServerFlags };

/** Everything a Keel server needs, resolved once: flags > environment > defaults. */
export interface KeelConfig {
  host: string;
  port: number;
  /** `sqlite:///path` or `postgresql://...`. */
  backendStoreUri: string;
  /** Where artifact bytes live: a local folder (an S3 URI arrives with data versioning). */
  artifactsDestination: string;
  serveArtifacts: boolean;
  /** Processes sharing the port (1 = this process serves alone). */
  workers: number;
  logLevel: LogLevel;
  /** Largest JSON request body in bytes (artifact uploads stream and have their own limit). */
  bodyLimitBytes: number;
  /** Largest artifact upload in bytes. */
  maxArtifactBytes: number;
}

export { logLevels, type LogLevel };

export const defaultDataDir = './keel-data';

type Env = Record<string, string | undefined>;

/**
 * The process environment. `src/app/config.ts` is the only module that reads `process.env`; the
 * `keel` command takes it from here and hands it to the CLI and to `resolveServerConfig`.
 */
export function processEnvironment(): Env {
  return process.env;
}

/**
 * Resolves the server's configuration from flags, then `KEEL_*` variables, then MLflow's names for
 * the same settings (`MLFLOW_BACKEND_STORE_URI`, ...), then defaults. The only reader of the
 * environment in Keel: everything else receives a `KeelConfig`.
 */
export function resolveServerConfig(flags: ServerFlags, env: Env): KeelConfig {
  const pick = (flag: string | undefined, ...names: string[]): string | undefined => {
    if (flag !== undefined && flag !== '') return flag;
    for (const name of names) {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };
  const host = pick(flags.host, 'KEEL_HOST', 'MLFLOW_HOST') ?? '127.0.0.1';
  const port = toInteger(
    'port',
    flags.port?.toString() ?? pick(undefined, 'KEEL_PORT', 'MLFLOW_PORT') ?? '5000',
    0,
    65535,
  );
  const backendStoreUri =
    pick(flags.backendStoreUri, 'KEEL_BACKEND_STORE_URI', 'MLFLOW_BACKEND_STORE_URI') ??
    `sqlite:///${defaultDataDir}/keel.db`;
  const artifactsDestination = toLocalDestination(
    pick(
      flags.artifactsDestination ?? flags.defaultArtifactRoot,
      'KEEL_ARTIFACTS_DESTINATION',
      'MLFLOW_ARTIFACTS_DESTINATION',
      'MLFLOW_DEFAULT_ARTIFACT_ROOT',
    ) ?? `${defaultDataDir}/artifacts`,
  );
  const serveArtifacts =
    flags.serveArtifacts ?? toBoolean('KEEL_SERVE_ARTIFACTS', env.KEEL_SERVE_ARTIFACTS) ?? true;
  const workers = toInteger(
    'workers',
    flags.workers?.toString() ?? pick(undefined, 'KEEL_WORKERS', 'MLFLOW_WORKERS') ?? '1',
    1,
    64,
  );
  const logLevel = (pick(flags.logLevel, 'KEEL_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid log level '${logLevel}': use one of ${logLevels.join(', ')}`,
    );
  }
  return {
    host,
    port,
    backendStoreUri,
    artifactsDestination,
    serveArtifacts,
    workers,
    logLevel: logLevel as LogLevel,
    bodyLimitBytes: toInteger(
      'KEEL_BODY_LIMIT_BYTES',
      env.KEEL_BODY_LIMIT_BYTES ?? String(16 * 1024 * 1024),
      1024,
      2 ** 31,
    ),
    maxArtifactBytes: toInteger(
      'KEEL_MAX_ARTIFACT_BYTES',
      env.KEEL_MAX_ARTIFACT_BYTES ?? String(5 * 1024 ** 3),
      1,
      Number.MAX_SAFE_INTEGER,
    ),
  };
}

/** Only the database location, for `keel db upgrade` and `keel gc`. */
export function resolveStoreConfig(
  flags: { backendStoreUri?: string; artifactsDestination?: string },
  env: Env,
): Pick<KeelConfig, 'backendStoreUri' | 'artifactsDestination'> {
  const { backendStoreUri, artifactsDestination } = resolveServerConfig(
    { backendStoreUri: flags.backendStoreUri, artifactsDestination: flags.artifactsDestination },
    env,
  );
  return { backendStoreUri, artifactsDestination };
}

function toLocalDestination(value: string): string {
  if (value.startsWith('file://')) return fileUriToPath(value);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('mlflow-artifacts:')) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Unsupported artifacts destination '${value}': use a local folder (S3 arrives with data versioning)`,
    );
  }
  return resolve(value);
}

function toInteger(name: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid ${name} '${value}': expected an integer from ${min} to ${max}`,
    );
  }
  return parsed;
}

function toBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new KeelError('INVALID_PARAMETER_VALUE', `Invalid ${name} '${value}': expected true or false`);
}
