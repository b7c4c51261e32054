import type { RowSelectionState } from '@tanstack/react-table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { parseExperimentIds, paths } from '../../app/paths.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { GettingStarted } from '../../components/getting-started.js';
import { Loading } from '../../components/loading.js';
import { usePageTitle } from '../../components/page-title.js';
import { useExperimentChange, useExperiments } from '../../data/experiments.js';
import { isKeelError } from '../../data/keel-sdk.js';
import { useLiveRuns, useRunChange, useRunPages, type RunQuery } from '../../data/runs.js';
import { compactColumns, expandColumns, moveColumn, withColumnWidth } from './column-layout.js';
import { FilterInput } from './filter-input.js';
import {
  attributeColumns,
  collectKeys,
  columnId,
  keyColumn,
  orderByClause,
  type RunColumn,
} from './run-columns.js';
import { groupItems } from './run-groups.js';
import { RunsGrid } from './runs-grid.js';
import { RunsToolbar } from './runs-toolbar.js';
import { useRunsView } from './runs-view-state.js';

/**
 * The runs of one or several experiments (`/experiments/1,4/runs`): filter, sort, columns (their
 * order and widths), grouping and the view in the URL; selection with bulk delete and restore;
 * live updates of running runs.
 */
export function RunsPage() {
  const params = useParams<{ ids: string }>();
  const experimentIds = useMemo(() => parseExperimentIds(params.ids), [params.ids]);
  const [view, updateView] = useRunsView();
  const [, navigate] = useLocation();
  const experiments = useExperiments(experimentIds);
  const experimentChange = useExperimentChange();
  const runChange = useRunChange();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const names = experiments.data?.map((experiment) => experiment.name) ?? [];
  usePageTitle(names.length > 0 ? `Runs of ${names.join(', ')}` : 'Runs');
  const several = experimentIds.length > 1;
  const groupColumn = view.groupBy ? keyColumn(view.groupBy) : undefined;
  const query = useMemo<RunQuery>(
    () => ({
      experimentIds,
      filter: view.filter,
      // Grouping orders by the group first, so that each group arrives in one piece, page after page.
      orderBy: [
        ...(groupColumn ? [orderByClause(groupColumn.id, false)] : []),
        ...(view.sort ? [orderByClause(view.sort.column, view.sort.descending)] : []),
      ],
      viewType: view.viewType,
    }),
    [experimentIds, view.filter, view.sort, view.viewType, groupColumn],
  );
  useEffect(() => setSelection({}), [query]);

  const pages = useRunPages(query);
  const rowPages = useMemo(() => pages.data?.pages.map((page) => page.rows) ?? [], [pages.data]);
  const loadedRows = useMemo(() => rowPages.flat(), [rowPages]);
  const live = useLiveRuns(query, loadedRows);
  const rows = live.rows;
  const runningOnScreen = useMemo(
    () => rows.filter((row) => row.run.info.status === 'RUNNING').length,
    [rows],
  );
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  // Running runs the pages do not hold and that are newer than all they hold: started since the
  // list loaded (in the default order they would be on top; with every page loaded, anywhere).
  const startedSince = useMemo(() => {
    const loaded = new Set(loadedRows.map((row) => row.run.info.runId));
    const newest = Math.max(0, ...loadedRows.map((row) => row.run.info.startTime));
    if (hasNextPage && view.sort !== undefined) return 0;
    return [...(live.running?.values() ?? [])].filter(
      (row) => !loaded.has(row.run.info.runId) && row.run.info.startTime > newest,
    ).length;
  }, [loadedRows, live.running, hasNextPage, view.sort]);

  const keys = useMemo(() => collectKeys(rowPages), [rowPages]);
  const defaultColumns = useMemo(
    () => [
      ...keys.metrics.map((item) => columnId('metric', item)),
      ...keys.params.map((item) => columnId('param', item)),
    ],
    [keys],
  );
  const chosen = useMemo(
    () => (view.columns === undefined ? defaultColumns : expandColumns(view.columns, defaultColumns)),
    [view.columns, defaultColumns],
  );
  const columns = useMemo<RunColumn[]>(
    () => [
      ...attributeColumns(several),
      ...chosen.map(keyColumn).filter((column): column is RunColumn => column !== undefined),
    ],
    [several, chosen],
  );
  const items = useMemo(() => groupItems(rows, groupColumn, collapsed), [rows, groupColumn, collapsed]);

  // Keeps what is on screen while it reloads (and if reloading fails).
  const refresh = () => void pages.refetch();
  const onSort = useCallback(
    (column: RunColumn) => {
      const current = view.sort?.column === column.id ? view.sort : undefined;
      updateView({
        sort:
          current === undefined
            ? { column: column.id, descending: false }
            : current.descending
              ? undefined
              : { column: column.id, descending: true },
      });
    },
    [view.sort, updateView],
  );
  const onToggleGroup = useCallback(
    (value: string) =>
      setCollapsed((previous) => {
        const next = new Set(previous);
        if (next.has(value)) next.delete(value);
        else next.add(value);
        return next;
      }),
    [],
  );
  const onLoadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const onResize = useCallback(
    (column: RunColumn, width: number | undefined) =>
      updateView({ widths: withColumnWidth(view.widths, column.id, width, column.width) }),
    [view.widths, updateView],
  );
  // With the default columns (no `cols` in the URL, or `*` in it) a move writes out the columns up
  // to the last one out of the default order, then `*` for the rest.
  const onMoveColumn = useCallback(
    (from: string, to: string) =>
      updateView({ columns: compactColumns(moveColumn(chosen, from, to), defaultColumns) }),
    [chosen, defaultColumns, updateView],
  );

  const error = pages.error;
  const filterError =
    isKeelError(error) && (error.code === 'INVALID_PARAMETER_VALUE' || error.code === 'BAD_REQUEST')
      ? error.message
      : undefined;
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);
  const deletedExperiments =
    experiments.data?.filter((experiment) => experiment.lifecycleStage === 'deleted') ?? [];
  const emptyAndNew =
    pages.isSuccess &&
    rows.length === 0 &&
    view.filter === '' &&
    view.viewType === 'ACTIVE_ONLY' &&
    deletedExperiments.length === 0;

  if (experimentIds.length === 0) {
    return (
      <section className="page">
        <h1>Runs</h1>
        <p role="alert">
          No experiment is named in this address. Pick one on the{' '}
          <Link href={paths.experiments()}>experiments page</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="page runs-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={paths.experiments()}>Experiments</Link> /{' '}
        <span aria-current="page">{names.join(', ') || experimentIds.join(', ')}</span>
      </nav>
      <h1>{names.length > 0 ? names.join(', ') : `Experiment ${experimentIds.join(', ')}`}</h1>
      {experiments.isError && (
        <ErrorPanel
          error={experiments.error}
          context="The experiment could not be loaded"
          onRetry={() => void experiments.refetch()}
        />
      )}
      {deletedExperiments.map((experiment) => (
        <div key={experiment.experimentId} className="notice" role="alert">
          The experiment “{experiment.name}” is deleted, and its runs with it.{' '}
          <button
            type="button"
            onClick={() =>
              experimentChange.mutate({ kind: 'restore', experimentId: experiment.experimentId })
            }
          >
            Restore it
          </button>{' '}
          or switch the view to “Deleted runs” to see them.
        </div>
      ))}
      <FilterInput value={view.filter} error={filterError} onApply={(filter) => updateView({ filter })} />
      <RunsToolbar
        view={view}
        updateView={updateView}
        keys={keys}
        chosenColumns={chosen}
        selectedIds={selectedIds}
        busy={runChange.isPending}
        onRefresh={refresh}
        onChange={(kind) =>
          runChange.mutate({ kind, runIds: selectedIds }, { onSuccess: () => setSelection({}) })
        }
      />
      {runChange.isError && <ErrorPanel error={runChange.error} context="Not every run was changed" />}
      {experimentChange.isError && (
        <ErrorPanel error={experimentChange.error} context="The experiment was not restored" />
      )}
      {pages.isError && pages.data !== undefined && filterError === undefined && (
        <ErrorPanel
          error={error}
          context="The runs could not be reloaded"
          onRetry={() => void pages.refetch()}
        />
      )}
      {startedSince > 0 && (
        <p className="notice" role="status">
          {startedSince} new running run{startedSince === 1 ? '' : 's'} since this list loaded.{' '}
          <button type="button" onClick={refresh}>
            Show them
          </button>
        </p>
      )}
      <p className="muted" role="status" aria-live="polite">
        {pages.isSuccess &&
          `${rows.length}${hasNextPage ? '+' : ''} runs loaded${runningOnScreen > 0 ? `, ${runningOnScreen} running (updating live)` : ''}`}
        {view.sort &&
          ` · sorted by ${view.sort.column} ${view.sort.descending ? '(descending)' : '(ascending)'}`}
      </p>
      {pages.isPending ? (
        <Loading what="runs" />
      ) : filterError !== undefined ? (
        <p className="muted">Fix the filter above to see runs.</p>
      ) : pages.isError && pages.data === undefined ? (
        <ErrorPanel error={error} context="Runs could not be loaded" onRetry={() => void pages.refetch()} />
      ) : rows.length === 0 ? (
        <>
          <p className="empty" role="status">
            {view.filter !== ''
              ? 'No run matches this filter.'
              : view.viewType === 'DELETED_ONLY'
                ? 'No deleted runs.'
                : 'No runs yet.'}
          </p>
          {emptyAndNew && <GettingStarted experimentName={names[0]} />}
        </>
      ) : (
        <RunsGrid
          label={`Runs of ${names.join(', ') || 'the experiment'}`}
          items={items}
          columns={columns}
          widths={view.widths}
          onResize={onResize}
          onMoveColumn={onMoveColumn}
          sort={view.sort}
          onSort={onSort}
          selection={selection}
          onSelectionChange={setSelection}
          onOpenRun={(runId) => navigate(paths.run(runId))}
          onToggleGroup={onToggleGroup}
          hasMore={hasNextPage}
          loadingMore={isFetchingNextPage}
          onLoadMore={onLoadMore}
          runHref={(runId) => paths.run(runId)}
        />
      )}
      {isFetchingNextPage && <Loading what="more runs" />}
    </section>
  );
}
