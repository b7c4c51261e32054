import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useKeel, useScopedKey } from './keel-context.js';
import type { Experiment, ViewType } from './keel-sdk.js';

const experimentsPageSize = 100;

/** A string literal of MLflow's filter grammar: single quotes, with `\` escaping quote and backslash. */
export function filterString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The filter a name search stands for: a case-insensitive substring match. */
export function nameFilter(search: string): string | undefined {
  const text = search.trim();
  return text === '' ? undefined : `name ILIKE ${filterString(`%${text}%`)}`;
}

/** Experiments page by page (100 at a time), newest first. */
export function useExperimentList(search: string, viewType: ViewType) {
  const { client } = useKeel();
  const key = useScopedKey();
  return useInfiniteQuery({
    queryKey: key('experiments', 'list', search, viewType),
    queryFn: ({ pageParam }) =>
      client.experiments.search({
        filter: nameFilter(search),
        viewType,
        maxResults: experimentsPageSize,
        pageToken: pageParam,
        orderBy: ['last_update_time DESC'],
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextPageToken,
  });
}

export function useExperiment(experimentId: string) {
  const { client } = useKeel();
  const key = useScopedKey();
  return useQuery({
    queryKey: key('experiments', 'one', experimentId),
    queryFn: () => client.experiments.get(experimentId),
  });
}

/** Several experiments at once (the runs page of `/experiments/1,4/runs`). */
export function useExperiments(experimentIds: readonly string[]) {
  const { client } = useKeel();
  const key = useScopedKey();
  return useQuery({
    queryKey: key('experiments', 'many', experimentIds),
    queryFn: () => Promise.all(experimentIds.map((id) => client.experiments.get(id))),
  });
}

export type ExperimentChange =
  | { kind: 'create'; name: string; tags?: Record<string, string> }
  | { kind: 'rename'; experimentId: string; name: string }
  | { kind: 'delete'; experimentId: string }
  | { kind: 'restore'; experimentId: string }
  | { kind: 'set-tag'; experimentId: string; key: string; value: string }
  | { kind: 'delete-tag'; experimentId: string; key: string };

/** Every change to experiments, as one mutation; the lists and the experiment reload after it. */
export function useExperimentChange() {
  const { client } = useKeel();
  const key = useScopedKey();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: ExperimentChange): Promise<string | undefined> => {
      switch (change.kind) {
        case 'create':
          return client.experiments.create(change.name, { tags: change.tags });
        case 'rename':
          return void (await client.experiments.rename(change.experimentId, change.name));
        case 'delete':
          return void (await client.experiments.delete(change.experimentId));
        case 'restore':
          return void (await client.experiments.restore(change.experimentId));
        case 'set-tag':
          return void (await client.experiments.setTag(change.experimentId, change.key, change.value));
        case 'delete-tag':
          return void (await client.experiments.deleteTag(change.experimentId, change.key));
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key('experiments') }),
  });
}

export type ExperimentMutation = ReturnType<typeof useExperimentChange>;
export type { Experiment };
