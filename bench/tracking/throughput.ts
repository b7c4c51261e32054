import type autocannon from 'autocannon';
import { startChild } from '../support/child-server.js';
import { createRun, logTypicalRun } from '../support/keel-http.js';
import { failures, load } from '../support/load.js';

export interface ThroughputResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

function summarizeLoad(name: string, result: autocannon.Result): ThroughputResult {
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: failures(result),
  };
}

/**
 * create-run, log-metric and get-run under `connections` concurrent keep-alive clients, and the same
 * load against an empty Fastify route (the HTTP stack's limit on this machine) for the ratio.
 */
export async function benchThroughput(
  uri: string,
  artifacts: string,
  seconds: number,
  connections = 20,
): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = [];
  const baseline = await startChild('baseline-http-main');
  try {
    const r = await load({ url: `${baseline.url}/noop`, connections, duration: seconds, method: 'GET' });
    results.push(summarizeLoad('empty Fastify route (limit)', r));
  } finally {
    await baseline.stop();
  }

  const server = await startChild('server-main', [uri, artifacts]);
  try {
    const { experimentId, runId } = await createRun(server.url, 'bench-throughput');
    await logTypicalRun(server.url, runId);
    const headers = { 'content-type': 'application/json' };

    const createRunLoad = await load({
      url: `${server.url}/api/2.0/mlflow/runs/create`,
      connections,
      duration: seconds,
      method: 'POST',
      headers,
      body: JSON.stringify({ experiment_id: experimentId, start_time: Date.now() }),
    });
    results.push(summarizeLoad('create-run', createRunLoad));

    let step = 0;
    const logMetricLoad = await load({
      url: `${server.url}/api/2.0/mlflow/runs/log-metric`,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers,
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({
              run_id: runId,
              key: 'loss',
              value: Math.random(),
              timestamp: Date.now(),
              step: step++,
            }),
          }),
        },
      ],
    });
    results.push(summarizeLoad('log-metric', logMetricLoad));

    const getRunLoad = await load({
      url: `${server.url}/api/2.0/mlflow/runs/get?run_id=${runId}`,
      connections,
      duration: seconds,
      method: 'GET',
    });
    results.push(summarizeLoad('get-run (20 params, 21 metrics, 10 tags)', getRunLoad));
  } finally {
    await server.stop();
  }
  return results;
}
