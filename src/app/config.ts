import { resolve } from 'node:path';
import { fileUriToPath } from '../backends/blob/index.js';
import { KeelError } from '../core/errors.js';
import { logLevels, type LogLevel } from '../core/log-levels.js';
import type { ServerFlags } from '../interfaces/cli/index.js';
import { defaultWebUiRoot } from './version.js';

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
  auth: AuthConfig;
  /**
   * The built web UI served at `/`: `dist/web` in Keel's package (written by `npm run build`), or
   * null for none. A folder without a build is served as none.
   */
  webUiRoot: string | null;
}

/** Authentication and access control. */
export interface AuthConfig {
  /** Whether every request (but `/health`, `/version` and login) must authenticate. */
  enabled: boolean;
  /**
   * How long a user's permissions, a token, a session or verified Basic credentials are reused, in
   * ms (0: never). A change made through another replica shows here within this time.
   */
  cacheTtlMs: number;
  /** log2 of scrypt's N for new password hashes (16; tests lower it to 10). */
  passwordCost: number;
  /** Whether the session cookie carries `Secure` (HTTPS only). */
  cookieSecure: boolean;
  /** The first administrator, created at start when no user has that name yet. */
  admin?: { username: string; password: string };
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
  const pick = picker(env);
  const host = pick(flags.host, 'KEEL_HOST', 'MLFLOW_HOST') ?? '127.0.0.1';
  const port = toInteger(
    'port',
    flags.port?.toString() ?? pick(undefined, 'KEEL_PORT', 'MLFLOW_PORT') ?? '5000',
    0,
    65535,
  );
  const { backendStoreUri, artifactsDestination } = resolveStoreConfig(flags, env);
  const serveArtifacts =
    flags.serveArtifacts ?? toBoolean('KEEL_SERVE_ARTIFACTS', env.KEEL_SERVE_ARTIFACTS) ?? true;
  const workers = toInteger(
    'workers',
    flags.workers?.toString() ?? pick(undefined, 'KEEL_WORKERS', 'MLFLOW_WORKERS') ?? '1',
    1,
    64,
  );
  const auth = resolveAuthConfig(flags, env, host);
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
    auth,
    webUiRoot: defaultWebUiRoot(),
  };
}

/**
 * Authentication is on with `--auth` (or `KEEL_AUTH=true`), and must be on when the server listens
 * on anything but loopback: there, without `--auth`, it refuses to start unless the operator passes
 * `--insecure-no-auth` knowingly. There is no default password: the first administrator comes from
 * `KEEL_ADMIN_USERNAME` and `KEEL_ADMIN_PASSWORD` (both or neither) or `keel users create-admin`.
 */
function resolveAuthConfig(flags: ServerFlags, env: Env, host: string): AuthConfig {
  const requested = flags.auth ?? toBoolean('KEEL_AUTH', env.KEEL_AUTH) ?? false;
  const insecure =
    flags.insecureNoAuth ?? toBoolean('KEEL_INSECURE_NO_AUTH', env.KEEL_INSECURE_NO_AUTH) ?? false;
  if (requested && insecure) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      '--auth and --insecure-no-auth contradict each other: pass one of them.',
    );
  }
  const loopback = isLoopback(host);
  if (!loopback && !requested && !insecure) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Refusing to listen on ${host} without authentication. Start with --auth (and create an admin: ` +
        'keel users create-admin) or pass --insecure-no-auth if this network is trusted.',
    );
  }
  const username = env.KEEL_ADMIN_USERNAME || undefined;
  const password = env.KEEL_ADMIN_PASSWORD || undefined;
  if ((username === undefined) !== (password === undefined)) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      'Set both KEEL_ADMIN_USERNAME and KEEL_ADMIN_PASSWORD to create the first administrator, or neither.',
    );
  }
  return {
    enabled: requested,
    cacheTtlMs:
      flags.authCacheTtlMs ??
      toInteger('KEEL_AUTH_CACHE_TTL', env.KEEL_AUTH_CACHE_TTL || '1000', 0, 3_600_000),
    passwordCost: flags.passwordCost ?? resolvePasswordCost(env),
    cookieSecure: toBoolean('KEEL_COOKIE_SECURE', env.KEEL_COOKIE_SECURE) ?? !loopback,
    ...(username !== undefined && password !== undefined ? { admin: { username, password } } : {}),
  };
}

/** `localhost`, `127.0.0.0/8` and `::1` (in any of their spellings). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  return /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/**
 * Only the database and artifact locations, for `keel db upgrade`, `keel gc` and
 * `keel users create-admin` (which run no server, so the listening and auth settings do not apply).
 */
export function resolveStoreConfig(
  flags: { backendStoreUri?: string; artifactsDestination?: string; defaultArtifactRoot?: string },
  env: Env,
): Pick<KeelConfig, 'backendStoreUri' | 'artifactsDestination'> {
  const pick = picker(env);
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
  return { backendStoreUri, artifactsDestination };
}

/** The scrypt cost for `keel users create-admin`: `KEEL_PASSWORD_COST`, else the server's default. */
export function resolvePasswordCost(env: Env): number {
  return toInteger('KEEL_PASSWORD_COST', env.KEEL_PASSWORD_COST || '16', 10, 18);
}

/** The first of the flag and the named variables that is set and not empty. */
function picker(env: Env) {
  return (flag: string | undefined, ...names: string[]): string | undefined => {
    if (flag !== undefined && flag !== '') return flag;
    for (const name of names) {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };
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
