import { Link, useParams, useSearchParams } from 'wouter';
import { paths } from '../../app/paths.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { Loading } from '../../components/loading.js';
import { usePageTitle } from '../../components/page-title.js';
import { StatusBadge } from '../../components/status-badge.js';
import { TagEditor } from '../../components/tag-editor.js';
import { useRun, useRunChange } from '../../data/runs.js';
import { KeyValueTable } from './key-value-table.js';
import { RunInputs } from './run-inputs.js';
import { RunOverview } from './run-overview.js';
import { ArtifactBrowser } from '../../artifacts/artifact-browser.js';
import { RunMetrics } from '../../charts/run-metrics.js';

/** The run page's tabs (`?tab=`); a later capability adds its own here. */
const tabs = [
  { id: 'overview', label: 'Overview' },
  { id: 'params', label: 'Parameters' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'tags', label: 'Tags' },
  { id: 'artifacts', label: 'Artifacts' },
  { id: 'inputs', label: 'Inputs and models' },
] as const;
type TabId = (typeof tabs)[number]['id'];

/** One run (`/runs/:runId?tab=`): overview, params, metrics, tags (editable), artifacts, inputs and models. */
export function RunPage() {
  const { runId } = useParams<{ runId: string }>();
  const [params, setParams] = useSearchParams();
  const tab: TabId = tabs.find((item) => item.id === params.get('tab'))?.id ?? 'overview';
  const run = useRun(runId);
  const change = useRunChange();
  const name = run.data?.info.runName || runId;
  usePageTitle(run.isError ? 'Run not found' : `Run ${name}`);

  if (run.isPending) return <Loading what="the run" />;
  if (run.isError) {
    return (
      <section className="page">
        <h1>Run {runId}</h1>
        <ErrorPanel
          error={run.error}
          context="This run could not be shown"
          onRetry={() => void run.refetch()}
        />
        <p>
          <Link href={paths.experiments()}>Back to the experiments</Link>
        </p>
      </section>
    );
  }
  const data = run.data;
  const selectTab = (id: TabId) => setParams(id === 'overview' ? {} : { tab: id });
  return (
    <section className="page run-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={paths.experiments()}>Experiments</Link> /{' '}
        <Link href={paths.runs([data.info.experimentId])}>Experiment {data.info.experimentId}</Link> /{' '}
        <span aria-current="page">{name}</span>
      </nav>
      <h1>
        {name} <StatusBadge status={data.info.status} />
        {data.info.lifecycleStage === 'deleted' && <span className="badge">deleted</span>}
      </h1>
      <div role="tablist" aria-label="Run details" className="tabs">
        {tabs.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls={`panel-${item.id}`}
            tabIndex={tab === item.id ? 0 : -1}
            onClick={() => selectTab(item.id)}
            onKeyDown={(event) => {
              const index = tabs.findIndex((candidate) => candidate.id === tab);
              const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              if (step === 0) return;
              const next = tabs[(index + step + tabs.length) % tabs.length]!;
              selectTab(next.id);
              document.getElementById(`tab-${next.id}`)?.focus();
            }}
          >
            {item.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'overview' && <RunOverview run={data} />}
        {tab === 'params' && (
          <KeyValueTable
            caption="Parameters"
            rows={data.data.params.map((param) => [param.key, param.value])}
            empty="This run logged no parameters."
          />
        )}
        {tab === 'metrics' && <RunMetrics run={data} />}
        {tab === 'tags' && (
          <>
            {change.isError && <ErrorPanel error={change.error} context="The tag was not changed" />}
            <TagEditor
              label="Tags of this run"
              tags={data.data.tags}
              busy={change.isPending}
              onSet={(key, value) => change.mutate({ kind: 'set-tag', runId, key, value })}
              onDelete={(key) => change.mutate({ kind: 'delete-tag', runId, key })}
            />
            <KeyValueTable
              caption="System tags"
              rows={data.data.tags
                .filter((tag) => tag.key.startsWith('mlflow.'))
                .map((tag) => [tag.key, tag.value])}
              empty="No system tags."
            />
          </>
        )}
        {tab === 'artifacts' && <ArtifactBrowser runId={runId} />}
        {tab === 'inputs' && <RunInputs run={data} />}
      </div>
    </section>
  );
}
