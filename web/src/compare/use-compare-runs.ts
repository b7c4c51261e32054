import { useQuery } from '@tanstack/react-query';
import { useKeel, useScopedKey } from '../data/keel-context.js';
import type { Run } from '../data/keel-sdk.js';

/** Reads at most this many runs at once. */
const parallelReads = 8;

/** The runs to compare, in the order given (each read once; the first failure fails the view). */
export function useCompareRuns(runIds: readonly string[]) {
  const { client } = useKeel();
  const key = useScopedKey();
  return useQuery({
    queryKey: key('runs', 'compare', runIds),
    queryFn: async (): Promise<Run[]> => {
      const runs: Run[] = new Array<Run>(runIds.length);
      let next = 0;
      const lane = async () => {
        while (next < runIds.length) {
          const index = next++;
          runs[index] = await client.runs.get(runIds[index]!);
        }
      };
      await Promise.all(Array.from({ length: Math.min(parallelReads, runIds.length) }, lane));
      return runs;
    },
    enabled: runIds.length > 0,
    staleTime: 30_000,
  });
}
