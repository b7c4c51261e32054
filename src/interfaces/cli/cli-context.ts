import { CommanderError, InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { isKeelError } from '../../core/errors.js';
import type { KeelError } from '../../core/errors.js';
import {
  defaultTrackingUri,
  KeelClient,
  normaliseTrackingUri,
  type KeelClientOptions,
} from '../../sdk/index.js';
import type { CliHost } from './cli-host.js';
import { CredentialsFile } from './credentials-file.js';
import { Output } from './output.js';

/** Exit codes: 0 done, 1 the operation failed, 2 the command line was wrong. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** Commander's error code for a failure the CLI has already reported on stderr. */
export const reportedFailureCode = 'keel.failed';

interface GlobalOptions {
  trackingUri?: string;
  workspace?: string;
  json?: boolean;
}

/** What a command action needs: the output, and a client for the server the flags and env name. */
export class CliContext {
  readonly output: Output;
  private readonly globals: GlobalOptions;

  constructor(
    readonly host: CliHost,
    command: Command,
  ) {
    this.globals = command.optsWithGlobals<GlobalOptions>();
    this.output = Output.for(host, this.globals.json === true);
  }

  get json(): boolean {
    return this.output.json;
  }

  /** `--workspace`, else `KEEL_WORKSPACE`; undefined for the server's choice (`default`). */
  get workspace(): string | undefined {
    return this.globals.workspace || this.host.env.KEEL_WORKSPACE || undefined;
  }

  /** Where `keel login` keeps its tokens. */
  credentials(): CredentialsFile {
    return CredentialsFile.forEnv(this.host.env);
  }

  /**
   * A client for the server `--tracking-uri` (else `KEEL_TRACKING_URI`, `MLFLOW_TRACKING_URI`,
   * `http://127.0.0.1:5000`) names, in `--workspace`. Credentials: `KEEL_TOKEN` (or
   * `MLFLOW_TRACKING_TOKEN`), else `MLFLOW_TRACKING_USERNAME`/`PASSWORD`, else the token `keel login`
   * stored for that server. `overrides` replace all of them (`keel login` signs in with a password).
   */
  client(overrides: KeelClientOptions = {}): KeelClient {
    try {
      const options = KeelClient.optionsFromEnv(this.host.env, {
        trackingUri: this.globals.trackingUri || undefined,
        workspace: this.workspace,
      });
      const fromEnv =
        options.token !== undefined || (options.username !== undefined && options.password !== undefined);
      const explicit = overrides.token !== undefined || overrides.username !== undefined;
      if (explicit) {
        delete options.token;
        delete options.username;
        delete options.password;
      } else if (!fromEnv) {
        const stored = this.credentials().read(this.trackingUri(options));
        if (stored !== undefined) options.token = stored.token;
      }
      return new KeelClient({ ...options, ...definedOnly(overrides) });
    } catch (error) {
      if (isKeelError(error)) throw new InvalidArgumentError(error.message);
      throw error;
    }
  }

  /** The normalised tracking URI the client talks to (the key of stored credentials). */
  trackingUri(options?: KeelClientOptions): string {
    try {
      const resolved =
        options ??
        KeelClient.optionsFromEnv(this.host.env, { trackingUri: this.globals.trackingUri || undefined });
      return normaliseTrackingUri(resolved.trackingUri ?? defaultTrackingUri);
    } catch (error) {
      if (isKeelError(error)) throw new InvalidArgumentError(error.message);
      throw error;
    }
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Wraps a command action (its positional arguments, then its options): builds its context, and turns a failure into one `error: ...` line (plus a
 * hint) on stderr and a `CommanderError` carrying the exit code, which `runCli` returns.
 */
export function action<A extends unknown[]>(
  host: CliHost,
  body: (context: CliContext, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    try {
      await body(new CliContext(host, command), ...(args.slice(0, -1) as A));
    } catch (error) {
      // InvalidArgumentError is a CommanderError: test it first.
      if (error instanceof InvalidArgumentError) {
        host.stderr.write(`error: ${error.message}\n`);
        throw new CommanderError(exitCodes.usage, 'keel.usage', error.message);
      }
      if (error instanceof CommanderError) throw error;
      reportFailure(host, error);
      throw new CommanderError(exitCodes.failed, reportedFailureCode, messageOf(error));
    }
  };
}

export function reportFailure(host: CliHost, error: unknown): void {
  host.stderr.write(`error: ${oneLine(messageOf(error))}\n`);
  const hint = isKeelError(error) ? hintFor(error) : undefined;
  if (hint) host.stderr.write(`hint: ${hint}\n`);
}

function hintFor(error: KeelError): string | undefined {
  switch (error.code) {
    case 'TEMPORARILY_UNAVAILABLE':
      return 'start a server with `keel server` (or `npm run demo`), or pass --tracking-uri / set KEEL_TRACKING_URI';
    case 'RESOURCE_DOES_NOT_EXIST':
      return missingHint(error.message);
    case 'UNAUTHENTICATED':
      return 'sign in with `keel login`, or set KEEL_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD';
    case 'PERMISSION_DENIED':
      return 'check who you are with `keel whoami`; an administrator can grant a role (`keel roles grant`) or a permission (`keel permissions grant`)';
    case 'ENDPOINT_NOT_FOUND':
      return 'check that the tracking URI points at a Keel or MLflow server';
    default:
      return undefined;
  }
}

/** Where to look for what exists, by what the message says is missing. */
const missingHints: [RegExp, string][] = [
  [/\buser\b/i, 'list users with `keel users list`'],
  [/\bgroup\b/i, 'list groups with `keel groups list`'],
  [/\bworkspace\b/i, 'list the workspaces you can see with `keel workspaces list`'],
  [/\btoken\b/i, 'list your tokens with `keel tokens list`'],
];

function missingHint(message: string): string {
  for (const [pattern, hint] of missingHints) if (pattern.test(message)) return hint;
  return 'list what exists with `keel experiments list` or `keel runs list`';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Throws a usage error (exit code 2) from inside an action. */
export function usageError(message: string): never {
  throw new InvalidArgumentError(message);
}
