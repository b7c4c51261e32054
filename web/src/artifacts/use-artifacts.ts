import { useQueries, useQuery } from '@tanstack/react-query';
import { useKeel, useScopedKey } from '../data/keel-context.js';
import { previewBytes, previewKind } from './preview-kind.js';

/** The query that lists one folder of a run's artifacts (one cache entry per folder). */
function useFolderQuery() {
  const { client } = useKeel();
  const key = useScopedKey();
  return (runId: string, path: string) => ({
    queryKey: key('artifacts', 'list', runId, path),
    queryFn: () => client.artifacts.list(runId, path),
    staleTime: 30_000,
  });
}

/** One folder of a run's artifacts (asked for only when shown: the tree expands lazily). */
export function useArtifactFolder(runId: string, path: string, enabled = true) {
  const folderQuery = useFolderQuery();
  return useQuery({ ...folderQuery(runId, path), enabled });
}

/** Several folders of a run's artifacts (the open ones of a tree), each read once and cached. */
export function useArtifactFolders(runId: string, paths: readonly string[]) {
  const folderQuery = useFolderQuery();
  const results = useQueries({ queries: paths.map((path) => folderQuery(runId, path)) });
  return new Map(paths.map((path, index) => [path, results[index]!]));
}

/** The first bytes of an artifact, as many as its kind of preview needs (a `Range` request). */
export function useArtifactHead(runId: string, path: string) {
  const { client } = useKeel();
  const key = useScopedKey();
  const kind = previewKind(path);
  return useQuery({
    queryKey: key('artifacts', 'head', runId, path),
    queryFn: () => client.artifacts.head(runId, path, previewBytes(kind)),
    enabled: kind !== 'none',
    staleTime: 60_000,
  });
}

/** Where a browser downloads an artifact from. */
export function useArtifactDownloadUrl(runId: string, path: string): string {
  return useKeel().client.artifacts.downloadUrl(runId, path);
}
