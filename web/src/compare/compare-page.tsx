import { useId, useMemo } from 'react';
import { Link, useSearchParams } from 'wouter';
import { paths } from '../app/paths.js';
import { ErrorPanel } from '../components/error-panel.js';
import { Loading } from '../components/loading.js';
import { usePageTitle } from '../components/page-title.js';
import type { Run } from '../data/keel-sdk.js';
import { CompareCharts } from './compare-charts.js';
import { diffRows, maxCompareRuns, numericValue, parseRunIds } from './compare-model.js';
import { DiffTable } from './diff-table.js';
import { ParallelCoordinates } from './parallel-coordinates.js';
import { idLabel, ScatterPlot } from './scatter-plot.js';
import { useCompareRuns } from './use-compare-runs.js';
import './compare.css';

/**
 * Compares 2 to 200 runs (`/compare?runs=a,b,c`): the params and metrics diff (hide equal), a
 * scatter of any two params or metrics, parallel coordinates of params against a metric, and the
 * chosen metrics' histories overlaid, a line per run. Every choice lives in the URL (`hide`, `x`, `y`,
 * `logx`, `logy`, `pc`, `metric`, `charts`, `cx`, `clog`, `csmooth`), so a view can be shared.
 */
export function ComparePage() {
  const [search] = useSearchParams();
  const runIds = useMemo(() => parseRunIds(search.get('runs')), [search]);
  usePageTitle(`Compare ${runIds.length} runs`);
  const tooFew = runIds.length < 2;
  const tooMany = runIds.length > maxCompareRuns;
  const runs = useCompareRuns(tooFew || tooMany ? [] : runIds);

  if (tooFew || tooMany) {
    return (
      <section className="page">
        <h1>Compare runs</h1>
        <p role="alert">
          {tooFew
            ? 'Choose at least two runs to compare: select them in a runs table and press “Compare”.'
            : `At most ${maxCompareRuns} runs can be compared at once; this address names ${runIds.length}.`}
        </p>
        <p>
          <Link href={paths.experiments()}>Go to the experiments</Link>
        </p>
      </section>
    );
  }
  if (runs.isPending) return <Loading what={`${runIds.length} runs`} />;
  if (runs.isError) {
    return (
      <section className="page">
        <h1>Compare runs</h1>
        <ErrorPanel
          error={runs.error}
          context="The runs could not be read"
          onRetry={() => void runs.refetch()}
        />
      </section>
    );
  }
  return <CompareView runs={runs.data} />;
}

function CompareView(props: { runs: Run[] }) {
  const { runs } = props;
  const [search, setSearch] = useSearchParams();
  const names = useMemo(() => runs.map((run) => run.info.runName || run.info.runId.slice(0, 8)), [runs]);
  const rows = useMemo(() => diffRows(runs), [runs]);
  const hideEqual = search.get('hide') === '1';
  const shown = useMemo(() => (hideEqual ? rows.filter((row) => !row.equal) : rows), [rows, hideEqual]);
  const differing = rows.filter((row) => !row.equal).length;

  // Keys usable on a plot: every param and metric that some run has.
  const keys = useMemo(() => rows.map((row) => row.id), [rows]);
  const metricKeys = keys.filter((id) => id.startsWith('metrics.'));
  const chartKeys = useMemo(() => rows.filter((row) => row.kind === 'metric').map((row) => row.key), [rows]);
  const paramKeys = keys.filter((id) => id.startsWith('params.'));
  const numericKeys = keys.filter((id) => runs.some((run) => numericValue(run, id) !== undefined));
  const pick = (name: string, fallback: string | undefined) => {
    const value = search.get(name);
    return value !== null && keys.includes(value) ? value : fallback;
  };
  const defaultX = paramKeys.find((id) => numericKeys.includes(id) && !rows.find((r) => r.id === id)?.equal);
  const x = pick('x', defaultX ?? paramKeys[0] ?? keys[0]);
  const y = pick('y', metricKeys[0] ?? keys[1] ?? keys[0]);
  const metric = pick('metric', metricKeys[0]);
  const chosenParams = (search.get('pc')?.split(',') ?? []).filter((id) => paramKeys.includes(id));
  const pcParams =
    search.get('pc') !== null
      ? chosenParams
      : paramKeys.filter((id) => !rows.find((row) => row.id === id)?.equal).slice(0, 6);

  const update = (changes: Record<string, string | undefined>) =>
    setSearch((previous) => {
      const next = new URLSearchParams(previous);
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) next.delete(key);
        else next.set(key, value);
      }
      return next;
    });

  const ids = useId();
  const experimentIds = [...new Set(runs.map((run) => run.info.experimentId))];
  return (
    <section className="page compare-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={paths.experiments()}>Experiments</Link> /{' '}
        <Link href={paths.runs(experimentIds)}>Runs</Link> / <span aria-current="page">Compare</span>
      </nav>
      <h1>Compare {runs.length} runs</h1>
      <ul className="compare-runs" aria-label="Compared runs">
        {runs.map((run, index) => (
          <li key={run.info.runId}>
            <Link href={paths.run(run.info.runId)}>{names[index]}</Link>
          </li>
        ))}
      </ul>

      <section aria-labelledby={`${ids}-diff`} className="compare-section">
        <h2 id={`${ids}-diff`}>Params and metrics</h2>
        <div className="toolbar">
          <label>
            <input
              type="checkbox"
              checked={hideEqual}
              onChange={(event) => update({ hide: event.target.checked ? '1' : undefined })}
            />{' '}
            Hide equal
          </label>
          <span className="muted" aria-live="polite">
            {differing} of {rows.length} keys differ; showing {shown.length}.
          </span>
        </div>
        <DiffTable rows={shown} names={names} />
      </section>

      <section aria-labelledby={`${ids}-charts`} className="compare-section">
        <h2 id={`${ids}-charts`}>Metric charts</h2>
        <CompareCharts runs={runs} names={names} metricKeys={chartKeys} />
      </section>

      {keys.length > 0 && x !== undefined && y !== undefined && (
        <section aria-labelledby={`${ids}-scatter`} className="compare-section">
          <h2 id={`${ids}-scatter`}>Scatter</h2>
          <div className="toolbar">
            <KeySelect label="X axis" value={x} keys={keys} onChange={(value) => update({ x: value })} />
            <label>
              <input
                type="checkbox"
                checked={search.get('logx') === '1'}
                onChange={(event) => update({ logx: event.target.checked ? '1' : undefined })}
              />{' '}
              Log X
            </label>
            <KeySelect label="Y axis" value={y} keys={keys} onChange={(value) => update({ y: value })} />
            <label>
              <input
                type="checkbox"
                checked={search.get('logy') === '1'}
                onChange={(event) => update({ logy: event.target.checked ? '1' : undefined })}
              />{' '}
              Log Y
            </label>
          </div>
          <ScatterPlot
            runs={runs}
            names={names}
            x={x}
            y={y}
            logX={search.get('logx') === '1'}
            logY={search.get('logy') === '1'}
          />
        </section>
      )}

      <section aria-labelledby={`${ids}-pc`} className="compare-section">
        <h2 id={`${ids}-pc`}>Parallel coordinates</h2>
        {metric === undefined || paramKeys.length === 0 ? (
          <p className="muted">Parallel coordinates need runs with params and a metric.</p>
        ) : (
          <>
            <div className="toolbar">
              <KeySelect
                label="Metric"
                value={metric}
                keys={metricKeys}
                onChange={(value) => update({ metric: value })}
              />
              <fieldset className="pc-params">
                <legend>Params</legend>
                {paramKeys.slice(0, 60).map((id) => (
                  <label key={id}>
                    <input
                      type="checkbox"
                      checked={pcParams.includes(id)}
                      onChange={(event) => {
                        const next = event.target.checked
                          ? [...pcParams, id]
                          : pcParams.filter((item) => item !== id);
                        update({ pc: next.join(',') });
                      }}
                    />{' '}
                    {id.slice('params.'.length)}
                  </label>
                ))}
              </fieldset>
            </div>
            {pcParams.length === 0 ? (
              <p className="muted">Choose one or more params to draw against {idLabel(metric)}.</p>
            ) : (
              <ParallelCoordinates runs={runs} names={names} params={pcParams} metric={metric} />
            )}
          </>
        )}
      </section>
    </section>
  );
}

function KeySelect(props: {
  label: string;
  value: string;
  keys: readonly string[];
  onChange: (id: string) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.keys.map((id) => (
          <option key={id} value={id}>
            {idLabel(id)}
          </option>
        ))}
      </select>
    </label>
  );
}
