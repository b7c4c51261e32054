import cluster from 'node:cluster';
import type { KeelConfig } from './config.js';
import { createKeel, createLogger, upgradeDatabase, type Keel } from './create-keel.js';

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
}

async function runPrimary(config: KeelConfig): Promise<void> {
  const logger = createLogger(config);
  // Migrate once here so the workers only check the version.
  await upgradeDatabase(config);
  let stopping = false;
  const spawn = () => cluster.fork();
  for (let i = 0; i < config.workers; i++) spawn();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    logger.error({ worker: worker.process.pid, code }, 'worker exited; starting another');
    spawn();
  });
  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === config.workers) {
      logger.info(
        { workers: config.workers },
        `Keel listening at http://${config.host}:${config.port} with ${config.workers} workers`,
      );
    }
  });
  await untilSignal();
  stopping = true;
  logger.info('shutting down workers');
  const exits = Object.values(cluster.workers ?? {}).map(
    (worker) => new Promise<void>((resolveExit) => worker?.once('exit', () => resolveExit())),
  );
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  await Promise.all(exits);
  logger.info('stopped');
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolveSignal(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
