import { KeelClient } from '../sdk/index.js';
import { demoExperimentName, runTrainingSweep } from './training-sweep.js';
import type { SweepResult } from './training-sweep.js';

/** A started server the demo logs to. */
export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

export interface RunDemoOptions {
  /** Starts Keel (the bin passes one on the embedded defaults). */
  startServer: () => Promise<DemoServer>;
  /** Close the server and return once the sweep is logged; otherwise serve until Ctrl-C. */
  exit: boolean;
  log: (line: string) => void;
  /** Resolves when the user wants to stop (default: SIGINT or SIGTERM). */
  untilStopped?: () => Promise<void>;
}

export interface DemoResult extends SweepResult {
  url: string;
}

/**
 * `keel demo`: starts a server, trains a small logistic-regression sweep on a synthetic dataset and
 * logs it through the SDK (parent run `sweep`, five nested child runs with params, metric histories,
 * a dataset input and artifacts), prints the best run and where to look, then keeps serving until
 * Ctrl-C unless `exit`. Running it again adds a new sweep to the same `keel-demo` experiment.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const { log } = options;
  const started = Date.now();
  const server = await options.startServer();
  let result: DemoResult;
  try {
    log(`Keel server: ${server.url}`);
    log('Training a logistic-regression sweep on a SYNTHETIC dataset (generated, not real data).');
    const client = new KeelClient({ trackingUri: server.url });
    const sweep = await runTrainingSweep(client, log);
    result = { ...sweep, url: server.url };
    const { best } = sweep;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log('');
    log(
      `Best run: ${best.runName} (${best.runId}) val_f1=${best.final.valF1.toFixed(4)} val_accuracy=${best.final.valAccuracy.toFixed(4)}`,
    );
    log(`  UI:   ${server.url}/experiments/${sweep.experimentId}/runs?sort=-metrics.val_f1`);
    log(`  API:  ${server.url}/api/2.0/mlflow/runs/get?run_id=${best.runId}`);
    log(`  CLI:  npx keel runs show ${best.runId} --tracking-uri ${server.url}`);
    log(
      `  All:  npx keel runs list -e ${sweep.experimentId} --order-by 'metrics.val_f1 DESC' --tracking-uri ${server.url}`,
    );
    log(
      `  MLflow client: MLFLOW_TRACKING_URI=${server.url} (experiment '${demoExperimentName}', id ${sweep.experimentId})`,
    );
    log(
      `Summary: logged 1 sweep run + ${sweep.children.length} child runs to '${demoExperimentName}' in ${seconds}s; ` +
        `best val_f1 ${best.final.valF1.toFixed(4)} with learning_rate=${best.config.learningRate}, l2=${best.config.l2}.`,
    );
  } catch (error) {
    await server.close();
    throw error;
  }
  if (!options.exit) {
    log(`Serving at ${server.url}; press Ctrl-C to stop.`);
    await (options.untilStopped ?? untilInterrupted)();
    log('Stopping.');
  }
  await server.close();
  return result;
}

/**
 * Resolves on the first SIGINT or SIGTERM and then stops listening, so a second Ctrl-C while the
 * demo closes its server gets Node's default (exit at once). The demo runs one process; the
 * server's own signal handling (cluster workers, graceful drain) lives in `src/app/start-server.ts`.
 */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
