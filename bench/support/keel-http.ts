/** Minimal JSON calls to a Keel server's MLflow API, for setting up benchmark fixtures. */
export async function mlflowCall<T = Record<string, unknown>>(
  url: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  return jsonCall<T>(`${url}/api/2.0/mlflow/${path}`, body === undefined ? 'GET' : 'POST', body, headers);
}

/** One JSON request; throws with the status and body when the answer is not 2xx. */
export async function jsonCall<T = Record<string, unknown>>(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function createRun(
  url: string,
  label: string,
  headers: Record<string, string> = {},
): Promise<{ experimentId: string; runId: string }> {
  const { experiment_id: experimentId } = await mlflowCall<{ experiment_id: string }>(
    url,
    'experiments/create',
    { name: `${label}-${Date.now()}-${Math.random().toString(16).slice(2)}` },
    headers,
  );
  const { run } = await mlflowCall<{ run: { info: { run_id: string } } }>(
    url,
    'runs/create',
    { experiment_id: experimentId, start_time: Date.now() },
    headers,
  );
  return { experimentId, runId: run.info.run_id };
}

/** Gives a run the shape the benchmarks read: 20 params, 20 metrics and 10 tags. */
export async function logTypicalRun(
  url: string,
  runId: string,
  headers: Record<string, string> = {},
): Promise<void> {
  await mlflowCall(
    url,
    'runs/log-batch',
    {
      run_id: runId,
      params: Array.from({ length: 20 }, (_, i) => ({ key: `p${i}`, value: String(i) })),
      metrics: Array.from({ length: 20 }, (_, i) => ({
        key: `m${i}`,
        value: i,
        timestamp: Date.now(),
        step: 0,
      })),
      tags: Array.from({ length: 10 }, (_, i) => ({ key: `t${i}`, value: String(i) })),
    },
    headers,
  );
}
