import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useKeel, useScopedKey } from '../data/keel-context.js';
import { liveRefreshMs } from '../data/runs.js';
import type { Metric } from '../data/keel-sdk.js';
import type { StepRange } from './series.js';

/** Points per metric a chart asks for: enough for any screen, however long the history. */
export const chartPoints = 2000;
/** Points per sparkline. */
export const sparkPoints = 100;

/**
 * The sampled histories of some metrics of one run (`get-history-bulk-interval`): at most
 * `chartPoints` each over the whole history, or over `range` when zoomed (at full detail once the
 * range holds fewer steps than that). The previous answer stays drawn while a new range loads; with
 * `live` (a running run) they are read again every few seconds.
 */
export function useMetricHistories(
  runId: string,
  keys: readonly string[],
  range: StepRange | null,
  live = false,
) {
  const { client } = useKeel();
  const scoped = useScopedKey();
  return useQueries({
    queries: keys.map((key) => ({
      queryKey: scoped('metric-history', runId, key, range?.start ?? null, range?.end ?? null),
      queryFn: (): Promise<Metric[]> =>
        client.runs.getMetricHistorySampled({
          runIds: [runId],
          key,
          maxResults: chartPoints,
          ...(range ? { startStep: range.start, endStep: range.end } : {}),
        }),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
      refetchInterval: live ? liveRefreshMs : (false as const),
    })),
  });
}

/** A few sampled points of one metric, for its sparkline; asked for only when `enabled` (on screen). */
export function useSparkline(runId: string, key: string, enabled: boolean) {
  const { client } = useKeel();
  const scoped = useScopedKey();
  return useQuery({
    queryKey: scoped('metric-spark', runId, key),
    queryFn: () => client.runs.getMetricHistorySampled({ runIds: [runId], key, maxResults: sparkPoints }),
    enabled,
    staleTime: 60_000,
  });
}
