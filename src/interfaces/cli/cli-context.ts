import { CommanderError, InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { isKeelError } from '../../core/errors.js';
import type { KeelError } from '../../core/errors.js';
import { KeelClient } from '../../sdk/index.js';
import type { CliHost } from './cli-host.js';
import { Output } from './output.js';

/** Exit codes: 0 done, 1 the operation failed, 2 the command line was wrong. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** Commander's error code for a failure the CLI has already reported on stderr. */
export const reportedFailureCode = 'keel.failed';

interface GlobalOptions {
  trackingUri?: string;
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

  /** `--tracking-uri`, else `KEEL_TRACKING_URI`, else `MLFLOW_TRACKING_URI`, else `http://127.0.0.1:5000`. */
  client(): KeelClient {
    try {
      return KeelClient.fromEnv(this.host.env, { trackingUri: this.globals.trackingUri || undefined });
    } catch (error) {
      if (isKeelError(error)) throw new InvalidArgumentError(error.message);
      throw error;
    }
  }
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
      return 'list what exists with `keel experiments list` or `keel runs list`';
    case 'UNAUTHENTICATED':
    case 'PERMISSION_DENIED':
      return 'set KEEL_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD';
    case 'ENDPOINT_NOT_FOUND':
      return 'check that the tracking URI points at a Keel or MLflow server';
    default:
      return undefined;
  }
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
