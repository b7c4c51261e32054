import { Command, CommanderError } from 'commander';
import { exitCodes, reportFailure, reportedFailureCode } from './cli-context.js';
import type { CliHost } from './cli-host.js';
import { registerAuditCommand } from './commands/audit-command.js';
import { registerAuthCommands } from './commands/auth-commands.js';
import { registerExperimentCommands } from './commands/experiment-commands.js';
import { registerGroupCommands } from './commands/group-commands.js';
import { registerPermissionCommands } from './commands/permission-commands.js';
import { registerRunCommands } from './commands/run-commands.js';
import { registerServerCommands } from './commands/server-commands.js';
import { registerTokenCommands } from './commands/token-commands.js';
import { registerUserCommands } from './commands/user-commands.js';
import { registerWorkspaceCommands } from './commands/workspace-commands.js';

/**
 * The `keel` command line. Output goes to the host's writers; nothing here exits the process:
 * commander's exits become thrown `CommanderError`s whose `exitCode` is 0 (help, version), 1 (the
 * operation failed, already reported on stderr) or 2 (usage). Use `runCli` to get the exit code.
 */
export function buildProgram(host: CliHost): Command {
  const program = new Command('keel')
    .description('Keel: track experiments, serve the MLflow REST API, manage who may do what')
    .version(host.version, '-V, --version', 'print the version')
    .option(
      '--tracking-uri <uri>',
      'server to talk to (default: $KEEL_TRACKING_URI, then $MLFLOW_TRACKING_URI, then http://127.0.0.1:5000)',
    )
    .option(
      '--workspace <name>',
      "the workspace to work in (default: $KEEL_WORKSPACE, then the server's default)",
    )
    .option('--json', 'print JSON for scripts instead of tables')
    .configureOutput({
      writeOut: (text) => void host.stdout.write(text),
      writeErr: (text) => void host.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError();
  registerServerCommands(program, host);
  registerExperimentCommands(program, host);
  registerRunCommands(program, host);
  registerAuthCommands(program, host);
  registerUserCommands(program, host);
  registerGroupCommands(program, host);
  registerWorkspaceCommands(program, host);
  registerPermissionCommands(program, host);
  registerTokenCommands(program, host);
  registerAuditCommand(program, host);
  return program;
}

/**
 * Runs the CLI on `argv` (as in `process.argv`: node, script, args...) and returns the exit code:
 * 0 done, 1 failed, 2 usage error. Every failure is reported on the host's stderr as
 * `error: <message>` (plus a `hint:` line where one helps).
 *
 * @example
 * process.exitCode = await runCli(host, process.argv);
 */
export async function runCli(host: CliHost, argv: readonly string[]): Promise<number> {
  const program = buildProgram(host);
  try {
    await program.parseAsync([...argv]);
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeOf(error);
    reportFailure(host, error);
    return exitCodes.failed;
  }
}

function exitCodeOf(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return exitCodes.ok;
  if (error.code === reportedFailureCode) return exitCodes.failed;
  // Everything else commander raises (unknown option or command, missing or invalid argument,
  // a command group run without a subcommand) and the CLI's own usage errors.
  return exitCodes.usage;
}
