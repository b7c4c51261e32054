/** Minimal JSON calls to a Keel server's MLflow API, for setting up benchmark fixtures. */
export async function mlflowCall<T = Record<string, unknown>>(
  url: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${url}/api/2.0/mlflow/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function createRun(
  url: string,
  label: string,
): Promise<{ experimentId: string; runId: string }> {
  const { experiment_id: experimentId } = await mlflowCall<{ experiment_id: string }>(
    url,
    'experiments/create',
    {
      name: `${label}-${Date.now()}-${Math.random().toString(16).slice(2)}`,
    },
  );
  const { run } = await mlflowCall<{ run: { info: { run_id: string } } }>(url, 'runs/create', {
    experiment_id: experimentId,
    start_time: Date.now(),
  });
  return { experimentId, runId: run.info.run_id };
}
