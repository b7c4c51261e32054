import type { LifecycleStage, ViewType } from '../../../core/tracking/index.js';
import { parseExperimentId } from '../entity-ids.js';

/**
 * The experiment ids that can name an experiment (see `parseExperimentId`), as distinct numbers.
 * Anything else (`abc`, `-1`, `1e3`, an id beyond the column's range) names none and is dropped, so
 * searching it finds nothing instead of failing.
 */
export function experimentIdsToNumbers(ids: readonly string[]): number[] {
  const numbers = new Set<number>();
  for (const id of ids) {
    const n = parseExperimentId(id);
    if (n !== undefined) numbers.add(n);
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
