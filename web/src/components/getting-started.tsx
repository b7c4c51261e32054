/**
 * What a new user does first, with this server's address filled in: log a run from Python with
 * MLflow's client (Keel speaks its API), or create an experiment and see a sample sweep from the CLI.
 */
export function GettingStarted(props: { experimentName?: string }) {
  const uri = window.location.origin;
  const experiment = props.experimentName ?? 'my-first-experiment';
  const python = [
    'import mlflow',
    '',
    `mlflow.set_tracking_uri("${uri}")`,
    `mlflow.set_experiment("${experiment}")`,
    'with mlflow.start_run():',
    '    mlflow.log_param("learning_rate", 0.01)',
    '    for step in range(10):',
    '        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)',
  ].join('\n');
  const cli = [
    `export KEEL_TRACKING_URI=${uri}`,
    `keel experiments create ${experiment}`,
    'keel runs list --experiment-id <id>',
  ].join('\n');
  return (
    <section className="getting-started" aria-labelledby="getting-started-title">
      <h2 id="getting-started-title">Log your first run</h2>
      <p>
        Keel speaks MLflow&apos;s API, so MLflow&apos;s Python client logs to it unchanged (
        <code>pip install mlflow</code>; with authentication on, set <code>MLFLOW_TRACKING_USERNAME</code> and{' '}
        <code>MLFLOW_TRACKING_PASSWORD</code> or <code>MLFLOW_TRACKING_TOKEN</code>):
      </p>
      <pre tabIndex={0} aria-label="Python example">
        <code>{python}</code>
      </pre>
      <p>Or from a shell, with Keel&apos;s command line:</p>
      <pre tabIndex={0} aria-label="Command line example">
        <code>{cli}</code>
      </pre>
      <p>
        To see what a full sweep looks like, run <code>keel demo</code> on your machine: it trains a small
        model and logs five runs with metrics, params and artifacts.
      </p>
    </section>
  );
}
