import { useId, useState } from 'react';
import { useLocation, useSearchParams } from 'wouter';
import { paths } from '../../app/paths.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { GettingStarted } from '../../components/getting-started.js';
import { Loading } from '../../components/loading.js';
import { usePageTitle } from '../../components/page-title.js';
import { useExperimentChange, useExperimentList } from '../../data/experiments.js';
import type { ViewType } from '../../data/keel-sdk.js';
import { CreateExperimentForm } from './create-experiment-form.js';
import { ExperimentRow } from './experiment-row.js';

const views: { value: ViewType; label: string; param: string }[] = [
  { value: 'ACTIVE_ONLY', label: 'Active', param: 'active' },
  { value: 'DELETED_ONLY', label: 'Deleted', param: 'deleted' },
  { value: 'ALL', label: 'All', param: 'all' },
];

/**
 * The experiments: search by name, create, rename, delete and restore (the "Deleted" view), tags,
 * and open the runs of one or several. The search and the view are in the URL (`?q=&view=`).
 */
export function ExperimentsPage() {
  usePageTitle('Experiments');
  const [params, setParams] = useSearchParams();
  const [, navigate] = useLocation();
  const search = params.get('q') ?? '';
  const view = views.find((item) => item.param === params.get('view')) ?? views[0]!;
  const [draft, setDraft] = useState(search);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const list = useExperimentList(search, view.value);
  const change = useExperimentChange();
  const searchId = useId();
  const viewId = useId();

  const setParam = (name: string, value: string | undefined) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value === undefined || value === '') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: name === 'q' },
    );

  const experiments = list.data?.pages.flatMap((page) => page.items) ?? [];
  const onlyDefault =
    search === '' &&
    view.value === 'ACTIVE_ONLY' &&
    list.isSuccess &&
    experiments.every((experiment) => experiment.experimentId === '0');
  const toggle = (id: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="page">
      <div className="page-header">
        <h1>Experiments</h1>
        <CreateExperimentForm
          onCreated={(experimentId) => navigate(paths.runs([experimentId]))}
          change={change}
        />
      </div>
      <div className="toolbar" role="search">
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            setParam('q', draft.trim());
          }}
        >
          <label htmlFor={searchId}>Search by name</label>
          <input
            id={searchId}
            type="search"
            value={draft}
            placeholder="part of a name"
            onChange={(event) => {
              setDraft(event.target.value);
              if (event.target.value === '') setParam('q', undefined);
            }}
          />
          <button type="submit">Search</button>
        </form>
        <label htmlFor={viewId}>Show</label>
        <select
          id={viewId}
          value={view.param}
          onChange={(event) =>
            setParam('view', event.target.value === 'active' ? undefined : event.target.value)
          }
        >
          {views.map((item) => (
            <option key={item.param} value={item.param}>
              {item.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="primary"
          disabled={selected.size === 0}
          onClick={() => navigate(paths.runs([...selected]))}
        >
          Show runs of selected ({selected.size})
        </button>
      </div>
      {change.isError && <ErrorPanel error={change.error} context="The change was not made" />}
      {list.isPending ? (
        <Loading what="experiments" />
      ) : list.isError ? (
        <ErrorPanel
          error={list.error}
          context="Experiments could not be loaded"
          onRetry={() => void list.refetch()}
        />
      ) : experiments.length === 0 ? (
        <p className="empty" role="status">
          {search !== ''
            ? `No ${view.label.toLowerCase()} experiment has a name containing “${search}”.`
            : view.value === 'DELETED_ONLY'
              ? 'No deleted experiments.'
              : 'No experiments.'}
        </p>
      ) : (
        <table className="experiments-table">
          <caption className="visually-hidden">Experiments ({view.label.toLowerCase()})</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Selected</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col">ID</th>
              <th scope="col">Last change</th>
              <th scope="col">Tags</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((experiment) => (
              <ExperimentRow
                key={experiment.experimentId}
                experiment={experiment}
                selected={selected.has(experiment.experimentId)}
                onToggle={() => toggle(experiment.experimentId)}
                change={change}
              />
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more experiments'}
        </button>
      )}
      {onlyDefault && <GettingStarted />}
      {experiments.length > 1 && (
        <p className="hint">Tip: select several experiments to see their runs in one table.</p>
      )}
    </section>
  );
}
