#!/usr/bin/env node
// The `keel` command: the CLI, handed the app's operations (serve, migrate, collect garbage, demo,
// create the first administrator) and the terminal.
// The app (Fastify, Kysely, drivers) loads only for the commands that run it, so client commands
// such as `keel runs list` start fast.
import { processEnvironment } from '../app/config.js';
import { readKeelVersion } from '../app/version.js';
import { runCli, type CliHost } from '../interfaces/cli/index.js';
import { prompt, readStdin } from './terminal.js';

const env = processEnvironment();
const app = () => import('../app/index.js');

const host: CliHost = {
  version: readKeelVersion(),
  env,
  stdout: process.stdout,
  stderr: process.stderr,
  startServer: async (flags) => {
    const { runServer, resolveServerConfig } = await app();
    return runServer(resolveServerConfig(flags, env));
  },
  upgradeDatabase: async (flags) => {
    const { upgradeDatabase, resolveStoreConfig } = await app();
    return upgradeDatabase(resolveStoreConfig(flags, env));
  },
  collectGarbage: async (flags) => {
    const { collectGarbage, resolveStoreConfig } = await app();
    return collectGarbage(resolveStoreConfig(flags, env), {
      olderThanMs: flags.olderThanMs,
      dryRun: flags.dryRun,
    });
  },
  createAdmin: async (flags) => {
    const { createAdmin, resolveStoreConfig, resolvePasswordCost } = await app();
    const store = resolveStoreConfig({ backendStoreUri: flags.backendStoreUri }, env);
    const { user, created } = await createAdmin(
      { ...store, passwordCost: resolvePasswordCost(env) },
      { username: flags.username, password: flags.password },
    );
    return { username: user.username, created };
  },
  readStdin,
  prompt,
  runDemo: async (flags) => {
    const [{ listen, resolveServerConfig }, { runDemo }] = await Promise.all([
      app(),
      import('../demo/index.js'),
    ]);
    return runDemo({
      exit: flags.exit,
      log: (line) => process.stdout.write(`${line}\n`),
      startServer: async () => {
        const config = resolveServerConfig({ host: flags.host, port: flags.port, logLevel: 'warn' }, env);
        const server = await listen(config);
        return { url: server.url, close: () => server.close() };
      },
    });
  },
};

// runCli reports failures on stderr and returns the exit code: 0 ok, 1 failed, 2 usage error.
process.exitCode = await runCli(host, process.argv);
