import type { LifecycleStage, ViewType } from '../../../core/tracking/entities.js';

/** Above PostgreSQL's INTEGER: no experiment has such an id. */
const maxExperimentId = 2_147_483_647;

/**
 * The experiment ids that can name an experiment, as numbers. Anything else (`abc`, `-1`, `1e3`,
 * an id beyond the column's range) names none and is dropped, so searching it finds nothing
 * instead of failing.
 */
export function experimentIdsToNumbers(ids: readonly string[]): number[] {
  const numbers = new Set<number>();
  for (const id of ids) {
    if (!/^\d{1,10}$/.test(id)) continue;
    const n = Number(id);
    if (n <= maxExperimentId) numbers.add(n);
  }
  return [...numbers];
}

/** The lifecycle stages a view type returns. */
export function lifecycleStages(viewType: ViewType): LifecycleStage[] {
  switch (viewType) {
    case 'ACTIVE_ONLY':
      return ['active'];
    case 'DELETED_ONLY':
      return ['deleted'];
    case 'ALL':
      return ['active', 'deleted'];
  }
}
