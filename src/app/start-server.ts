import cluster from 'node:cluster';
import type { KeelConfig } from './config.js';
import { createAdmin, createKeel, createLogger, upgradeDatabase, type Keel } from './create-keel.js';

export interface RunningServer {
  /** `http://host:port` as clients should use it. */
  url: string;
  keel: Keel;
  /** Graceful stop: no new connections, in-flight requests finish, the database closes. */
  close(): Promise<void>;
}

/** Starts one Keel process listening on the configured host and port. */
export async function listen(
  config: KeelConfig,
  options: { migrate?: boolean } = {},
): Promise<RunningServer> {
  const keel = await createKeel(config, options);
  try {
    await keel.http.listen({ host: config.host, port: config.port });
  } catch (error) {
    await keel.close();
    throw error;
  }
  const address = keel.http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    keel,
    close: () => keel.close(),
  };
}

/**
 * `keel server`: migrates once, then serves with one process or `workers` processes sharing the
 * port (node:cluster), until SIGTERM or SIGINT; then stops gracefully. Resolves after shutdown.
 */
export async function runServer(config: KeelConfig): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  const server = await listen(config, { migrate: !cluster.isWorker });
  const { logger } = server.keel;
  if (!cluster.isWorker)
    logger.info({ url: server.url, version: server.keel.version }, `Keel listening at ${server.url}`);
  await untilSignal();
  logger.info('shutting down: finishing in-flight requests');
  await server.close();
  logger.info('stopped');
  // A worker's channel to the primary would keep it alive.
  cluster.worker?.disconnect();
}

async function runPrimary(config: KeelConfig): Promise<void> {
  const logger = createLogger(config);
  // Migrate (and create the first administrator) once here so the workers only check the version.
  await upgradeDatabase(config);
  if (config.auth.admin !== undefined) {
    const { user, created } = await createAdmin(
      { ...config, passwordCost: config.auth.passwordCost },
      config.auth.admin,
    );
    if (created)
      logger.info({ username: user.username }, `Created the site administrator '${user.username}'`);
  }
  let stopping = false;
  let listening = 0;
  const workers = () => Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
  const stopWorkers = async () => {
    stopping = true;
    const exits = workers().map(
      (worker) => new Promise<void>((resolveExit) => worker.once('exit', () => resolveExit())),
    );
    for (const worker of workers()) worker.process.kill('SIGTERM');
    await Promise.all(exits);
  };
  // A worker that dies before all are up (port taken, database unreachable) fails the start;
  // one that dies later is replaced.
  const failedStart = new Promise<never>((_resolve, reject) => {
    cluster.on('exit', (worker, code) => {
      if (stopping) return;
      if (listening < config.workers) {
        reject(new Error(`A worker exited with code ${code} before the server was up; see its log above`));
        return;
      }
      logger.error({ worker: worker.process.pid, code }, 'worker exited; starting another');
      cluster.fork();
    });
  });
  cluster.on('listening', (_worker, address) => {
    listening += 1;
    if (listening === config.workers) {
      const url = `http://${config.host}:${address.port}`;
      logger.info(
        { url, workers: config.workers },
        `Keel listening at ${url} with ${config.workers} workers`,
      );
    }
  });
  for (let i = 0; i < config.workers; i++) cluster.fork();
  try {
    await Promise.race([untilSignal(), failedStart]);
  } finally {
    logger.info('shutting down workers');
    await stopWorkers();
  }
  logger.info('stopped');
}

/**
 * Resolves on the first SIGTERM or SIGINT. Later signals are ignored while the graceful stop runs
 * (Ctrl-C reaches the primary and every worker at once, and the primary then sends SIGTERM too),
 * except that a second signal to a process that is not a worker forces it out.
 */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (!received) {
        received = true;
        resolveSignal(signal);
      } else if (!cluster.isWorker) {
        process.exit(130);
      }
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
