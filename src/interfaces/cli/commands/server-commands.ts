import { Option } from 'commander';
import type { Command } from 'commander';
import { logLevels } from '../../../core/log-levels.js';
import { action } from '../cli-context.js';
import type { CliHost, ServerFlags } from '../cli-host.js';
import { integerIn, parseDuration, parsePort } from '../option-parsers.js';

/** `keel server`, `keel db upgrade`, `keel gc`, `keel demo`: commands that run Keel itself. */
export function registerServerCommands(program: Command, host: CliHost): void {
  program
    .command('server')
    .description('Run the Keel tracking server (MLflow REST API, artifact proxy)')
    .option('--host <host>', 'network address to listen on (default: 127.0.0.1; env KEEL_HOST)')
    .option('-p, --port <port>', 'port to listen on (default: 5000; env KEEL_PORT)', parsePort)
    .option(
      '--backend-store-uri <uri>',
      'metadata database: sqlite:///path or postgresql://... (default: sqlite:///./keel-data/keel.db)',
    )
    .option('--default-artifact-root <uri>', 'where new experiments store artifacts (MLflow compatibility)')
    .option(
      '--artifacts-destination <path>',
      'folder the artifact proxy stores bytes in (default: ./keel-data/artifacts)',
    )
    .option('--serve-artifacts', 'serve the artifact proxy (the default)')
    .option('--no-serve-artifacts', 'do not serve the artifact proxy')
    .option('--workers <n>', 'processes sharing the port (default: 1)', integerIn(1, 64))
    .addOption(new Option('--log-level <level>', 'log verbosity (default: info)').choices(logLevels))
    .option('--auth', 'require authentication (always on off loopback; env KEEL_AUTH)')
    .option(
      '--insecure-no-auth',
      'serve a non-loopback address without authentication, knowingly (only on a trusted network)',
    )
    .option(
      '--auth-cache-ttl <ms>',
      'how long permissions, tokens and sessions are reused (default: 1000; 0 = never)',
      integerIn(0, 3_600_000),
    )
    .addOption(
      new Option('--password-cost <log2N>', 'scrypt cost of new password hashes (for tests)')
        .argParser(integerIn(10, 18))
        .hideHelp(),
    )
    .action(
      action(host, async (_context, options: ServerFlags & { authCacheTtl?: number }) => {
        const flags: ServerFlags = {};
        for (const key of [
          'host',
          'port',
          'backendStoreUri',
          'defaultArtifactRoot',
          'artifactsDestination',
          'serveArtifacts',
          'workers',
          'logLevel',
          'auth',
          'insecureNoAuth',
          'passwordCost',
        ] as const) {
          if (options[key] !== undefined) (flags as Record<string, unknown>)[key] = options[key];
        }
        if (options.authCacheTtl !== undefined) flags.authCacheTtlMs = options.authCacheTtl;
        await host.startServer(flags);
      }),
    );

  program
    .command('db')
    .description('Manage the metadata database')
    .command('upgrade')
    .description('Migrate the metadata database to the newest schema (the server also does this at start)')
    .option('--backend-store-uri <uri>', 'metadata database (default: as for keel server)')
    .action(
      action(host, async (context, options: { backendStoreUri?: string }) => {
        const result = await host.upgradeDatabase(definedOnly({ backendStoreUri: options.backendStoreUri }));
        if (context.json) context.output.printJson(result);
        else if (result.from === result.to)
          context.output.line(`Database schema is up to date (version ${result.to}).`);
        else context.output.line(`Database schema upgraded from version ${result.from} to ${result.to}.`);
      }),
    );

  program
    .command('gc')
    .description(
      'Permanently delete runs and experiments deleted at least --older-than ago, with their artifacts',
    )
    .requiredOption('--older-than <duration>', 'age of deletion: 30d, 12h, 90m, 0s, 1d12h', parseDuration)
    .option('--dry-run', 'list what would be deleted without deleting it', false)
    .option('--backend-store-uri <uri>', 'metadata database (default: as for keel server)')
    .option('--artifacts-destination <path>', 'artifact folder (default: as for keel server)')
    .action(
      action(
        host,
        async (
          context,
          options: {
            olderThan: number;
            dryRun: boolean;
            backendStoreUri?: string;
            artifactsDestination?: string;
          },
        ) => {
          const result = await host.collectGarbage({
            ...definedOnly({
              backendStoreUri: options.backendStoreUri,
              artifactsDestination: options.artifactsDestination,
            }),
            olderThanMs: options.olderThan,
            dryRun: options.dryRun,
          });
          if (context.json) {
            context.output.printJson({ dryRun: options.dryRun, ...result });
            return;
          }
          const verb = options.dryRun ? 'Would delete' : 'Deleted';
          context.output.line(
            `${verb} ${plural(result.runIds.length, 'run')}, ${plural(result.experimentIds.length, 'experiment')} ` +
              `and ${plural(result.blobsRemoved, 'artifact file')}.`,
          );
          if (result.experimentIds.length > 0)
            context.output.line(`experiments: ${result.experimentIds.join(', ')}`);
          if (result.runIds.length > 0) context.output.line(`runs: ${result.runIds.join(', ')}`);
        },
      ),
    );

  program
    .command('demo')
    .description('Start Keel on the embedded defaults and log a small, real training sweep to it')
    .option('--exit', 'stop the server once the demo has logged its runs', false)
    .option('--host <host>', 'network address to listen on (default: 127.0.0.1)')
    .option('-p, --port <port>', 'port to listen on (default: 5000)', parsePort)
    .action(
      action(host, async (_context, options: { exit: boolean; host?: string; port?: number }) => {
        await host.runDemo({
          exit: options.exit,
          ...definedOnly({ host: options.host, port: options.port }),
        });
      }),
    );
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
