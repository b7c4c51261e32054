import type { Run } from '../../data/keel-sdk.js';

/** A run's dataset inputs (name, digest, source, context), the logged models it used and those it logged. */
export function RunInputs(props: { run: Run }) {
  const { datasetInputs, modelInputs } = props.run.inputs;
  const modelOutputs = props.run.outputs?.modelOutputs ?? [];
  return (
    <>
      <h2>Dataset inputs</h2>
      {datasetInputs.length === 0 ? (
        <p className="muted">
          This run logged no datasets. From Python:{' '}
          <code>mlflow.log_input(dataset, context=&quot;training&quot;)</code>.
        </p>
      ) : (
        <table className="kv-table">
          <caption>Datasets this run read</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Context</th>
              <th scope="col">Digest</th>
              <th scope="col">Source</th>
              <th scope="col">Schema</th>
            </tr>
          </thead>
          <tbody>
            {datasetInputs.map((input, index) => (
              <tr key={`${input.dataset.name}-${input.dataset.digest}-${index}`}>
                <th scope="row">{input.dataset.name}</th>
                <td>{input.tags.find((tag) => tag.key === 'mlflow.data.context')?.value ?? '—'}</td>
                <td>
                  <code>{input.dataset.digest}</code>
                </td>
                <td>
                  {input.dataset.sourceType}: <code className="wrap">{input.dataset.source}</code>
                </td>
                <td>{input.dataset.schema ? <SchemaSummary schema={input.dataset.schema} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Model inputs</h2>
      {modelInputs.length === 0 ? (
        <p className="muted">This run used no logged models as inputs.</p>
      ) : (
        <ul>
          {modelInputs.map((input) => (
            <li key={input.modelId}>
              <code>{input.modelId}</code>
            </li>
          ))}
        </ul>
      )}
      <h2>Logged models</h2>
      {modelOutputs.length === 0 ? (
        <p className="muted">
          This run logged no models. From Python:{' '}
          <code>mlflow.sklearn.log_model(model, name=&quot;model&quot;)</code>.
        </p>
      ) : (
        <table className="kv-table">
          <caption>Models this run logged</caption>
          <thead>
            <tr>
              <th scope="col">Model id</th>
              <th scope="col">Step</th>
            </tr>
          </thead>
          <tbody>
            {modelOutputs.map((output) => (
              <tr key={`${output.modelId}-${output.step}`}>
                <th scope="row">
                  <code>{output.modelId}</code>
                </th>
                <td>{output.step}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** MLflow's schema JSON (`{"mlflow_colspec": [{"name", "type"}]}`) as `name: type` pairs; raw otherwise. */
function SchemaSummary(props: { schema: string }) {
  let columns: { name?: string; type?: string }[] | undefined;
  try {
    const parsed = JSON.parse(props.schema) as { mlflow_colspec?: { name?: string; type?: string }[] };
    columns = Array.isArray(parsed.mlflow_colspec) ? parsed.mlflow_colspec : undefined;
  } catch {
    columns = undefined;
  }
  if (!columns) return <code>{props.schema.slice(0, 200)}</code>;
  const shown = columns.slice(0, 12);
  return (
    <span>
      {shown.map((column) => `${column.name ?? '?'}: ${column.type ?? '?'}`).join(', ')}
      {columns.length > shown.length ? `, and ${columns.length - shown.length} more` : ''}
    </span>
  );
}
