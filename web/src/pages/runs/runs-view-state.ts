import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'wouter';
import type { ViewType } from '../../data/keel-sdk.js';
import { formatColumnWidths, parseColumnWidths, type ColumnWidths } from './column-layout.js';

/**
 * What the runs table shows, kept in the URL so that a view can be shared and the back button
 * undoes a change:
 *
 * | param    | meaning                                                           | example                 |
 * | -------- | ----------------------------------------------------------------- | ----------------------- |
 * | `filter` | MLflow's run filter, as typed                                     | `metrics.loss < 0.5`    |
 * | `sort`   | a column id; a leading `-` sorts descending                       | `-metrics.val_f1`       |
 * | `cols`   | the metric, param and tag columns shown, in order, comma-separated; `*` stands for every metric and param not listed (absent: `*`) | `metrics.loss,params.lr`, `metrics.f1,*` |
 * | `widths` | `<column id>:<px>` for the columns not at their default width     | `metrics.loss:180`      |
 * | `view`   | `deleted` or `all` (absent: active runs)                          | `deleted`               |
 * | `group`  | a param or tag column to group rows by                            | `params.model`          |
 */
export interface RunsView {
  filter: string;
  sort: { column: string; descending: boolean } | undefined;
  columns: string[] | undefined;
  /** Only the columns whose width differs from their default. */
  widths: ColumnWidths;
  viewType: ViewType;
  groupBy: string | undefined;
}

const viewParams: Record<string, ViewType> = { deleted: 'DELETED_ONLY', all: 'ALL' };

export function readRunsView(params: URLSearchParams): RunsView {
  const sort = params.get('sort') ?? '';
  const cols = params.get('cols');
  return {
    filter: params.get('filter') ?? '',
    sort:
      sort === '' || sort === '-'
        ? undefined
        : sort.startsWith('-')
          ? { column: sort.slice(1), descending: true }
          : { column: sort, descending: false },
    columns: cols === null ? undefined : cols.split(',').filter((id) => id !== ''),
    widths: parseColumnWidths(params.get('widths')),
    viewType: viewParams[params.get('view') ?? ''] ?? 'ACTIVE_ONLY',
    groupBy: params.get('group') || undefined,
  };
}

export function writeRunsView(view: RunsView, params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | undefined) => {
    if (value === undefined || value === '') next.delete(name);
    else next.set(name, value);
  };
  set('filter', view.filter.trim());
  set('sort', view.sort ? `${view.sort.descending ? '-' : ''}${view.sort.column}` : undefined);
  if (view.columns === undefined) next.delete('cols');
  else next.set('cols', view.columns.join(','));
  set('widths', formatColumnWidths(view.widths));
  set('view', Object.entries(viewParams).find(([, type]) => type === view.viewType)?.[0]);
  set('group', view.groupBy);
  return next;
}

/** The runs view from the URL, and a function that changes part of it (a new history entry). */
export function useRunsView(): [RunsView, (change: Partial<RunsView>) => void] {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => readRunsView(params), [params]);
  const update = useCallback(
    (change: Partial<RunsView>) =>
      setParams((previous) => writeRunsView({ ...readRunsView(previous), ...change }, previous)),
    [setParams],
  );
  return [view, update];
}
