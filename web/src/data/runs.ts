import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { useKeel, useScopedKey } from './keel-context.js';
import type { Run, ViewType } from './keel-sdk.js';
import { toRunRow, type RunRow } from './run-rows.js';

/** Runs per request while scrolling: a screenful many times over, small enough to answer fast. */
export const runsPageSize = 200;
/** How often RUNNING runs are asked for again. */
export const liveRefreshMs = 5000;

export interface RunQuery {
  experimentIds: readonly string[];
  filter: string;
  orderBy: string[];
  viewType: ViewType;
}

/** A page of runs, each indexed for the table. */
export interface RunRowPage {
  rows: RunRow[];
  nextPageToken?: string;
}

/**
 * The runs of some experiments, page by page as the table scrolls (page tokens, so the server reads
 * only the rows asked for, however many there are). Filter and order are the server's.
 */
export function useRunPages(query: RunQuery) {
  const { client } = useKeel();
  const key = useScopedKey();
  return useInfiniteQuery({
    queryKey: key('runs', 'search', query),
    queryFn: async ({ pageParam }): Promise<RunRowPage> => {
      const page = await client.runs.search({
        experimentIds: [...query.experimentIds],
        filter: query.filter || undefined,
        orderBy: query.orderBy,
        viewType: query.viewType,
        maxResults: runsPageSize,
        pageToken: pageParam,
      });
      return { rows: page.items.map(toRunRow), nextPageToken: page.nextPageToken };
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextPageToken,
    enabled: query.experimentIds.length > 0,
    staleTime: 30_000,
  });
}

/** `filter AND clause` in MLflow's grammar (which has AND but no OR and no parentheses). */
export function andFilter(filter: string, clause: string): string {
  return filter.trim() === '' ? clause : `${filter.trim()} AND ${clause}`;
}

/**
 * Live updates of the loaded runs that are RUNNING: every few seconds, one search for the query's
 * runs that are still running, and one read of each run that was running and is no longer (it
 * finished, failed or was killed; read once, then remembered). The loaded rows come back with those
 * fresh copies in place, so nothing reloads or scrolls. Asks nothing when no loaded run is running.
 */
export function useLiveRuns(query: RunQuery, loaded: readonly RunRow[]) {
  const { client } = useKeel();
  const key = useScopedKey();
  const ended = useRef(new Map<string, RunRow>());
  const isRunning = (row: RunRow) => row.run.info.status === 'RUNNING';
  const running = useMemo(
    () => loaded.filter((row) => isRunning(row) && !ended.current.has(row.run.info.runId)),
    [loaded],
  );
  const watched = useRef<readonly RunRow[]>(running);
  watched.current = running;
  const live = useQuery({
    queryKey: key('runs', 'live', query),
    queryFn: async (): Promise<Map<string, RunRow>> => {
      const page = await client.runs.search({
        experimentIds: [...query.experimentIds],
        filter: andFilter(query.filter, "attributes.status = 'RUNNING'"),
        viewType: query.viewType,
        maxResults: 1000,
      });
      const fresh = new Map(page.items.map((run) => [run.info.runId, toRunRow(run)]));
      const stopped = watched.current.filter((row) => !fresh.has(row.run.info.runId)).slice(0, 50);
      const reads = await Promise.all(
        stopped.map((row) => client.runs.get(row.run.info.runId).catch(() => undefined)),
      );
      for (const run of reads) if (run !== undefined) ended.current.set(run.info.runId, toRunRow(run));
      return fresh;
    },
    enabled: running.length > 0,
    refetchInterval: running.length > 0 ? liveRefreshMs : false,
    staleTime: 0,
  });
  const rows = useMemo(
    () =>
      loaded.map((row) => {
        // Only a loaded copy that says RUNNING can be out of date; a reload's newer copy wins.
        if (!isRunning(row)) return row;
        const id = row.run.info.runId;
        return live.data?.get(id) ?? ended.current.get(id) ?? row;
      }),
    // `ended` changes only inside the query, whose new data recomputes this.
    [loaded, live.data],
  );
  /** `running`: the query's running runs, by id, as last asked (undefined before the first answer). */
  return { rows, running: live.data };
}

/** One run with its latest metrics, params, tags and inputs. */
export function useRun(runId: string) {
  const { client } = useKeel();
  const key = useScopedKey();
  return useQuery({
    queryKey: key('runs', 'one', runId),
    queryFn: () => client.runs.get(runId),
    refetchInterval: (state) => (state.state.data?.info.status === 'RUNNING' ? liveRefreshMs : false),
  });
}

/** The runs nested under a run (tag `mlflow.parentRunId`), first 100. */
export function useChildRuns(run: Run | undefined) {
  const { client } = useKeel();
  const key = useScopedKey();
  const runId = run?.info.runId ?? '';
  return useQuery({
    queryKey: key('runs', 'children', runId),
    queryFn: async () =>
      (
        await client.runs.search({
          experimentIds: [run!.info.experimentId],
          filter: `tags.mlflow.parentRunId = '${runId}'`,
          maxResults: 100,
        })
      ).items,
    enabled: run !== undefined,
  });
}

export type RunChange =
  | { kind: 'delete' | 'restore'; runIds: readonly string[] }
  | { kind: 'set-tag'; runId: string; key: string; value: string }
  | { kind: 'delete-tag'; runId: string; key: string };

/** Calls `task` for every item, at most `limit` at a time; the first failure is thrown at the end. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item).catch((error: unknown) => {
        failure ??= error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

/** Changes to runs (bulk delete and restore, tags); the run lists reload after each. */
export function useRunChange() {
  const { client } = useKeel();
  const key = useScopedKey();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: RunChange) => {
      switch (change.kind) {
        case 'delete':
          return eachLimited(change.runIds, 8, (id) => client.runs.delete(id));
        case 'restore':
          return eachLimited(change.runIds, 8, (id) => client.runs.restore(id));
        case 'set-tag':
          return client.runs.setTag(change.runId, change.key, change.value);
        case 'delete-tag':
          return client.runs.deleteTag(change.runId, change.key);
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key('runs') }),
  });
}
