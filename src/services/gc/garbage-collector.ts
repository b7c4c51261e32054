import type { AuditStamp } from '../../core/audit/index.js';
import type { BlobStore } from '../../core/blob/index.js';
import { KeelError } from '../../core/errors.js';
import type { PurgedRows, TrackingGarbageStore } from '../../core/tracking/index.js';
import { proxiedArtifactKey } from '../artifacts/index.js';

export interface GarbageCollectorOptions {
  store: TrackingGarbageStore;
  blobs: BlobStore;
}

export interface CollectOptions {
  /** Only what was deleted at least this long ago (milliseconds) is purged. */
  olderThanMs: number;
  /** The clock, epoch milliseconds (default: now). */
  now?: number;
  /** Report what would be purged and change nothing. */
  dryRun?: boolean;
}

export interface CollectResult {
  runIds: string[];
  experimentIds: string[];
  /** Artifact files removed (or, in a dry run, that would be). */
  blobsRemoved: number;
}

/** Who the audit trail names for a purge. */
export const gcStamp: AuditStamp = { actorId: null, actorName: 'keel gc' };

/** Ids per `purge` call: keeps each transaction and its `IN (...)` lists bounded. */
const purgeBatch = 500;
/** Artifact folders removed at once. */
const deleteFanOut = 4;

/**
 * Permanently removes runs and experiments that were soft-deleted long enough ago (`keel gc`):
 * first their rows (only those still deleted and old enough when the purge runs), then the artifacts
 * of exactly the rows removed, so a run or experiment restored meanwhile loses nothing. An
 * interrupted collection can leave orphaned artifact files (never live data lost); a dry run
 * reports the current candidates. The audit trail names the purges' actor `keel gc`.
 *
 * Only artifacts this server proxies (`mlflow-artifacts:` locations) are removed, and only from a
 * folder that is clearly the owner's own: a run's location must contain its run id as a path
 * segment, an experiment's must end with its experiment id. A location a user pointed elsewhere
 * (another experiment's folder, an external bucket) is left alone; its rows are still purged.
 *
 * @example
 * const gc = new GarbageCollector({ store, blobs });
 * await gc.collect({ olderThanMs: 30 * 24 * 3600 * 1000 }); // { runIds, experimentIds, blobsRemoved }
 */
export class GarbageCollector {
  readonly #store: TrackingGarbageStore;
  readonly #blobs: BlobStore;

  constructor(options: GarbageCollectorOptions) {
    this.#store = options.store;
    this.#blobs = options.blobs;
  }

  async collect(options: CollectOptions): Promise<CollectResult> {
    const { olderThanMs } = options;
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) {
      throw new KeelError(
        'INVALID_PARAMETER_VALUE',
        `Invalid age ${olderThanMs}: expected milliseconds >= 0`,
      );
    }
    const now = options.now ?? Date.now();
    const deletedBefore = now - olderThanMs;
    const candidates = await this.#store.findPurgeable(deletedBefore);
    if (options.dryRun === true) {
      let blobsRemoved = 0;
      for (const folder of artifactFolders(candidates)) blobsRemoved += await this.#countBelow(folder);
      return { ...idsOf(candidates), blobsRemoved };
    }
    // Rows first, then only the artifacts of the rows actually removed: a run or experiment
    // restored since `findPurgeable` is skipped by `purge` and keeps its artifacts.
    const runIds = candidates.runs.map((run) => run.runId);
    const experimentIds = candidates.experiments.map((experiment) => experiment.experimentId);
    const purged: PurgedRows = { runs: [], experiments: [] };
    for (let i = 0; i < Math.max(runIds.length, experimentIds.length); i += purgeBatch) {
      const batch = await this.#store.purge(
        {
          runIds: runIds.slice(i, i + purgeBatch),
          experimentIds: experimentIds.slice(i, i + purgeBatch),
          deletedBefore,
        },
        gcStamp,
      );
      purged.runs.push(...batch.runs);
      purged.experiments.push(...batch.experiments);
    }
    const folders = artifactFolders(purged);
    let blobsRemoved = 0;
    for (let i = 0; i < folders.length; i += deleteFanOut) {
      const counts = await Promise.all(
        folders.slice(i, i + deleteFanOut).map((folder) => this.#blobs.deletePrefix(folder)),
      );
      for (const count of counts) blobsRemoved += count;
    }
    return { ...idsOf(purged), blobsRemoved };
  }

  /** Objects below a folder, walking one listing at a time. */
  async #countBelow(folder: string): Promise<number> {
    let count = 0;
    const pending = [folder];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      const listing = await this.#blobs.list(next);
      count += listing.files.length;
      for (const dir of listing.dirs) pending.push(`${next}/${dir}`);
    }
    return count;
  }
}

/** The run and experiment ids, each once, in order. */
function idsOf(rows: PurgedRows): { runIds: string[]; experimentIds: string[] } {
  return {
    runIds: [...new Set(rows.runs.map((run) => run.runId))],
    experimentIds: [...new Set(rows.experiments.map((experiment) => experiment.experimentId))],
  };
}

/** The artifact folders these rows own (see the class doc), outermost only. */
function artifactFolders({ runs, experiments }: PurgedRows): string[] {
  return outermost([
    ...experiments.map((e) => ownFolder(e.artifactLocation, (key) => lastSegment(key) === e.experimentId)),
    ...runs.map((r) => ownFolder(r.artifactUri, (key) => key.split('/').includes(r.runId))),
  ]);
}

/** The blob folder of a proxied location when `isOwn` accepts it; never the store's root. */
function ownFolder(uri: string, isOwn: (key: string) => boolean): string | undefined {
  let key: string | undefined;
  try {
    key = proxiedArtifactKey(uri);
  } catch {
    return undefined;
  }
  return key !== undefined && key !== '' && isOwn(key) ? key : undefined;
}

/** The folders, without any that sit inside another one of them (counted once, removed once). */
function outermost(folders: (string | undefined)[]): string[] {
  const kept = new Set<string>();
  const byDepth = [...new Set(folders.filter((folder): folder is string => folder !== undefined))].sort(
    (a, b) => a.split('/').length - b.split('/').length,
  );
  for (const folder of byDepth) {
    const segments = folder.split('/');
    const inside = segments.some((_, depth) => depth > 0 && kept.has(segments.slice(0, depth).join('/')));
    if (!inside) kept.add(folder);
  }
  return [...kept];
}

function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
