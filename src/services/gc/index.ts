export {
  GarbageCollector,
  gcStamp,
  type CollectOptions,
  type CollectResult,
  type GarbageCollectorOptions,
} from './garbage-collector.js';
