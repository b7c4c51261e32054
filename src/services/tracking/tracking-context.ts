import type { TrackingStore } from '../../core/tracking/index.js';

/** What every tracking use case works with: the store and the clock (epoch milliseconds). */
export interface TrackingContext {
  store: TrackingStore;
  now: () => number;
}

/** Keeps, in order, the ids of the entities the caller may read (a search's experiments, a bulk read's runs). */
export type VisibleFilter = (ids: readonly string[]) => Promise<string[]>;
