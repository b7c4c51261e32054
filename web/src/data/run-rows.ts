import type { Run } from './keel-sdk.js';

/** A run with its metrics, params and tags indexed by key, so that a table cell reads in O(1). */
export interface RunRow {
  run: Run;
  metrics: Map<string, number>;
  params: Map<string, string>;
  tags: Map<string, string>;
}

export function toRunRow(run: Run): RunRow {
  return {
    run,
    metrics: new Map(run.data.metrics.map((metric) => [metric.key, metric.value])),
    params: new Map(run.data.params.map((param) => [param.key, param.value])),
    tags: new Map(run.data.tags.map((tag) => [tag.key, tag.value])),
  };
}
