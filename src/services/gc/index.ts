export {
  GarbageCollector,
  type CollectOptions,
  type CollectResult,
  type GarbageCollectorOptions,
} from './garbage-collector.js';
