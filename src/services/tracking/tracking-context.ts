import type { TrackingStore } from '../../core/tracking/index.js';

/** What every tracking use case works with: the store and the clock (epoch milliseconds). */
export interface TrackingContext {
  store: TrackingStore;
  now: () => number;
}
