#!/usr/bin/env node
// The `keel` command: the CLI, handed the app's operations (serve, migrate, collect garbage, demo).
import {
  collectGarbage,
  listen,
  readKeelVersion,
  resolveServerConfig,
  resolveStoreConfig,
  runServer,
  upgradeDatabase,
} from '../app/index.js';
import { runDemo } from '../demo/index.js';
import { runCli, type CliHost } from '../interfaces/cli/index.js';

const env = process.env;

const host: CliHost = {
  version: readKeelVersion(),
  env,
  stdout: process.stdout,
  stderr: process.stderr,
  startServer: (flags) => runServer(resolveServerConfig(flags, env)),
  upgradeDatabase: (flags) => upgradeDatabase(resolveStoreConfig(flags, env)),
  collectGarbage: (flags) =>
    collectGarbage(resolveStoreConfig(flags, env), { olderThanMs: flags.olderThanMs, dryRun: flags.dryRun }),
  runDemo: (flags) =>
    runDemo({
      exit: flags.exit,
      log: (line) => process.stdout.write(`${line}\n`),
      startServer: async () => {
        const config = resolveServerConfig({ host: flags.host, port: flags.port, logLevel: 'warn' }, env);
        const server = await listen(config);
        return { url: server.url, close: () => server.close() };
      },
    }),
};

// runCli reports failures on stderr and returns the exit code: 0 ok, 1 failed, 2 usage error.
process.exitCode = await runCli(host, process.argv);
