import type { Metric, Param, Tag } from '../core/tracking/index.js';
import {
  MAX_BATCH_LOG_REQUEST_SIZE,
  MAX_ENTITIES_PER_BATCH,
  MAX_METRICS_PER_BATCH,
  MAX_PARAMS_TAGS_PER_BATCH,
} from '../core/tracking/index.js';
import { utf8ByteLength } from './text-bytes.js';
import { encodeMetric } from './wire-format.js';

/** What one `runs/log-batch` request may carry (MLflow's limits). */
export interface BatchLimits {
  maxMetrics: number;
  maxParams: number;
  maxTags: number;
  /** Metrics + params + tags together. */
  maxEntries: number;
  /** The JSON request body, in bytes. */
  maxBytes: number;
}

/** The limits the server enforces (the core's validation constants). */
export const mlflowBatchLimits: Readonly<BatchLimits> = Object.freeze({
  maxMetrics: MAX_METRICS_PER_BATCH,
  maxParams: MAX_PARAMS_TAGS_PER_BATCH,
  maxTags: MAX_PARAMS_TAGS_PER_BATCH,
  maxEntries: MAX_ENTITIES_PER_BATCH,
  maxBytes: MAX_BATCH_LOG_REQUEST_SIZE,
});

export type BatchEntry =
  { kind: 'metric'; metric: Metric } | { kind: 'param'; param: Param } | { kind: 'tag'; tag: Tag };

export interface Batch {
  metrics: Metric[];
  params: Param[];
  tags: Tag[];
}

/** Room kept for the request's envelope: `{"run_id":"…","metrics":[],"params":[],"tags":[]}`. */
const envelopeBytes = 512;

/**
 * Splits log entries into `log-batch` requests that each respect `limits`, keeping the entries'
 * order: sending the batches one after another writes the entries in the order given.
 *
 * A param whose key already sits in the current batch is dropped when the value is the same (MLflow
 * rejects duplicate keys in one request) and starts a new batch when it differs, so the server
 * reports the change the way it would for two calls. A repeated tag key also starts a new batch, so
 * the last value wins as it would call by call.
 *
 * @example
 * splitBatch(metrics.map((metric) => ({ kind: 'metric', metric }))).length; // 3 for 2500 metrics
 */
export function splitBatch(entries: Iterable<BatchEntry>, limits: BatchLimits = mlflowBatchLimits): Batch[] {
  const batches: Batch[] = [];
  let current: Batch = { metrics: [], params: [], tags: [] };
  let bytes = envelopeBytes;
  let paramValues = new Map<string, string>();
  let tagKeys = new Set<string>();

  const startNew = (): void => {
    batches.push(current);
    current = { metrics: [], params: [], tags: [] };
    bytes = envelopeBytes;
    paramValues = new Map();
    tagKeys = new Set();
  };

  for (const entry of entries) {
    if (entry.kind === 'param' && paramValues.get(entry.param.key) === entry.param.value) continue;
    const size = entrySize(entry) + 1;
    const count = current.metrics.length + current.params.length + current.tags.length;
    const full =
      count > 0 &&
      (count + 1 > limits.maxEntries ||
        bytes + size > limits.maxBytes ||
        (entry.kind === 'metric' && current.metrics.length + 1 > limits.maxMetrics) ||
        (entry.kind === 'param' &&
          (current.params.length + 1 > limits.maxParams || paramValues.has(entry.param.key))) ||
        (entry.kind === 'tag' && (current.tags.length + 1 > limits.maxTags || tagKeys.has(entry.tag.key))));
    if (full) startNew();
    bytes += size;
    if (entry.kind === 'metric') current.metrics.push(entry.metric);
    else if (entry.kind === 'param') {
      current.params.push(entry.param);
      paramValues.set(entry.param.key, entry.param.value);
    } else {
      current.tags.push(entry.tag);
      tagKeys.add(entry.tag.key);
    }
  }
  if (current.metrics.length + current.params.length + current.tags.length > 0) batches.push(current);
  return batches;
}

/**
 * The entries of a `{metrics, params, tags}` batch, interleaved so that each request fills up:
 * up to `maxParams` params, `maxTags` tags, then metrics up to `maxEntries`, again and again. Each
 * kind keeps its own order.
 */
export function batchEntries(batch: Partial<Batch>, limits: BatchLimits = mlflowBatchLimits): BatchEntry[] {
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  const metrics = batch.metrics ?? [];
  const entries: BatchEntry[] = [];
  let p = 0;
  let t = 0;
  let m = 0;
  while (p < params.length || t < tags.length || m < metrics.length) {
    const paramEnd = Math.min(params.length, p + limits.maxParams);
    const tagEnd = Math.min(tags.length, t + limits.maxTags);
    const room = Math.max(1, limits.maxEntries - (paramEnd - p) - (tagEnd - t));
    const metricEnd = Math.min(metrics.length, m + Math.min(room, limits.maxMetrics));
    for (; p < paramEnd; p++) entries.push({ kind: 'param', param: params[p] as Param });
    for (; t < tagEnd; t++) entries.push({ kind: 'tag', tag: tags[t] as Tag });
    for (; m < metricEnd; m++) entries.push({ kind: 'metric', metric: metrics[m] as Metric });
  }
  return entries;
}

function entrySize(entry: BatchEntry): number {
  const wire =
    entry.kind === 'metric' ? encodeMetric(entry.metric) : entry.kind === 'param' ? entry.param : entry.tag;
  return utf8ByteLength(JSON.stringify(wire));
}
