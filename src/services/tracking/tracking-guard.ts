import { permits, type Caller, type Permission } from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import type { TrackingOwnershipStore } from '../../core/tracking/index.js';
import { LoadingCache, objectNotFound, type AccessControl } from '../auth/index.js';

/** The experiment (and its workspace) a run or a logged model belongs to. */
export interface Owner {
  experimentId: string;
  workspace: string;
}

/** The store's own words for a missing experiment, run and logged model: an unreadable one gets the same. */
export function experimentNotFound(experimentId: string): KeelError {
  return objectNotFound('experiment', experimentId);
}

export function runNotFound(runId: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
}

export function loggedModelNotFound(modelId: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${modelId}' not found.`);
}

export interface TrackingGuardOptions {
  store: TrackingOwnershipStore;
  access: AccessControl;
  /** Entries kept per kind of entity (experiments, runs, logged models): 50,000 by default. */
  cacheSize?: number;
}

/**
 * Permission checks on tracking entities. Permissions live on experiments, so a run or a logged
 * model is checked on its experiment, in that experiment's workspace. Which experiment and
 * workspace an entity belongs to never changes, so it is kept in bounded LRUs: on a warm cache a
 * check costs no database round trip. Unknown ids are not kept (they may be created later).
 *
 * Callers skip the guard when `caller.user` is null (authentication off), so that path awaits
 * nothing extra.
 */
export class TrackingGuard {
  readonly #store: TrackingOwnershipStore;
  readonly #access: AccessControl;
  readonly #experiments: LoadingCache<string, string | undefined>;
  readonly #runs: LoadingCache<string, Owner | undefined>;
  readonly #models: LoadingCache<string, Owner | undefined>;

  constructor(options: TrackingGuardOptions) {
    this.#store = options.store;
    this.#access = options.access;
    const cache = { ttlMs: Infinity, maxEntries: options.cacheSize ?? 50_000, now: Date.now };
    this.#experiments = new LoadingCache(cache);
    this.#runs = new LoadingCache(cache);
    this.#models = new LoadingCache(cache);
  }

  /** The experiment's workspace; undefined when it does not exist. */
  experimentWorkspace(experimentId: string): Promise<string | undefined> {
    const known = this.#experiments.peek(experimentId);
    if (known !== undefined) return Promise.resolve(known);
    return this.#experiments.get(experimentId, (id) => this.#store.experimentWorkspace(id));
  }

  /** Records an experiment's workspace learnt elsewhere (on creation, or from a read by name). */
  rememberExperiment(experimentId: string, workspace: string): void {
    this.#experiments.set(experimentId, workspace);
  }

  /** Passes when the caller holds `needed` on the experiment; else as `AccessControl.require`. */
  async experiment(
    caller: Caller,
    experimentId: string,
    needed: Permission,
    notFound = experimentNotFound,
  ): Promise<void> {
    const workspace = this.#experiments.peek(experimentId) ?? (await this.experimentWorkspace(experimentId));
    if (workspace === undefined) throw notFound(experimentId);
    await this.#access.require(caller, { type: 'experiment', id: experimentId, workspace }, needed, () =>
      notFound(experimentId),
    );
  }

  /**
   * The hot path of `run`: true when the caller's snapshot and the run's owner are cached and the
   * caller holds `needed` (throwing as `run` would when it does not); false when something is not
   * cached, and the caller must await `run`. Saves the common case its promises.
   */
  runPasses(caller: Caller, runId: string, needed: Permission): boolean {
    const owner = this.#runs.peek(runId);
    return (
      owner !== undefined &&
      this.#passes(caller, owner.experimentId, owner.workspace, needed, runId, runNotFound)
    );
  }

  /** As `runPasses`, for an experiment. */
  experimentPasses(caller: Caller, experimentId: string, needed: Permission): boolean {
    const workspace = this.#experiments.peek(experimentId);
    return (
      workspace !== undefined &&
      this.#passes(caller, experimentId, workspace, needed, experimentId, experimentNotFound)
    );
  }

  #passes(
    caller: Caller,
    experimentId: string,
    workspace: string,
    needed: Permission,
    id: string,
    notFound: (id: string) => KeelError,
  ): boolean {
    return this.#access.passes(caller, { type: 'experiment', id: experimentId, workspace }, needed, () =>
      notFound(id),
    );
  }

  /** Passes when the caller holds `needed` on the run's experiment; an unreadable run is "not found". */
  async run(caller: Caller, runId: string, needed: Permission): Promise<Owner> {
    const owner = this.#runs.peek(runId) ?? (await this.#runs.get(runId, (id) => this.#store.runOwner(id)));
    if (owner === undefined) throw runNotFound(runId);
    await this.#access.require(
      caller,
      { type: 'experiment', id: owner.experimentId, workspace: owner.workspace },
      needed,
      () => runNotFound(runId),
    );
    return owner;
  }

  /** As `run`, for a logged model. */
  async loggedModel(caller: Caller, modelId: string, needed: Permission): Promise<Owner> {
    const owner =
      this.#models.peek(modelId) ??
      (await this.#models.get(modelId, (id) => this.#store.loggedModelOwner(id)));
    if (owner === undefined) throw loggedModelNotFound(modelId);
    await this.#access.require(
      caller,
      { type: 'experiment', id: owner.experimentId, workspace: owner.workspace },
      needed,
      () => loggedModelNotFound(modelId),
    );
    return owner;
  }

  /**
   * Records a new run's owner when its experiment's workspace is already known (it is, after a
   * check), so the run's first use costs no lookup. Never queries.
   */
  rememberRun(runId: string, experimentId: string): void {
    const workspace = this.#experiments.peek(experimentId);
    if (workspace !== undefined) this.#runs.set(runId, { experimentId, workspace });
  }

  /** As `rememberRun`, for a new logged model. */
  rememberLoggedModel(modelId: string, experimentId: string): void {
    const workspace = this.#experiments.peek(experimentId);
    if (workspace !== undefined) this.#models.set(modelId, { experimentId, workspace });
  }

  /** The ids (in order) of the experiments that exist and that the caller may read. */
  async readableExperiments(caller: Caller, experimentIds: readonly string[]): Promise<string[]> {
    const readable = await Promise.all(experimentIds.map((id) => this.#readsExperiment(caller, id)));
    return experimentIds.filter((_, index) => readable[index]);
  }

  /** The ids (in order) of the runs that exist and that the caller may read. */
  async readableRuns(caller: Caller, runIds: readonly string[]): Promise<string[]> {
    const readable = await Promise.all(
      runIds.map((id) =>
        this.run(caller, id, 'READ').then(
          () => true,
          (error: unknown) => (isHidden(error) ? false : Promise.reject(error)),
        ),
      ),
    );
    return runIds.filter((_, index) => readable[index]);
  }

  async #readsExperiment(caller: Caller, experimentId: string): Promise<boolean> {
    const workspace = await this.experimentWorkspace(experimentId);
    if (workspace === undefined) return false;
    const held = await this.#access.permissionOn(caller, { type: 'experiment', id: experimentId, workspace });
    return permits(held, 'READ');
  }
}

function isHidden(error: unknown): boolean {
  return error instanceof KeelError && error.code === 'RESOURCE_DOES_NOT_EXIST';
}
