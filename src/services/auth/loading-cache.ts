interface Entry<V> {
  value: V;
  expires: number;
}

export interface LoadingCacheOptions {
  /** How long a loaded value is served, in milliseconds; 0 keeps nothing, `Infinity` never expires. */
  ttlMs: number;
  /** The most values kept; the least recently used goes first. */
  maxEntries: number;
  /** The clock, epoch milliseconds. */
  now: () => number;
}

/**
 * A bounded map of values loaded on demand and served for `ttlMs`. Concurrent `get`s of a key that
 * is not cached share one load, so a burst of requests for one user costs one database round trip.
 * `undefined` (an unknown id) is never kept: the entity may exist a moment later.
 *
 * A `delete` or `clear` while a load is in flight also discards that load's result, so a change
 * made through this process is never overwritten by a value read before it.
 *
 * @example
 * const users = new LoadingCache<string, User | undefined>({ ttlMs: 1000, maxEntries: 10_000, now: Date.now });
 * const user = await users.get(userId, (id) => store.findUserById(id));
 */
export class LoadingCache<K, V> {
  readonly #values = new Map<K, Entry<V>>();
  readonly #loading = new Map<K, Promise<V>>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: LoadingCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now;
  }

  /** The cached value when present and fresh; never loads. */
  peek(key: K): V | undefined {
    const entry = this.#values.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires !== Infinity && entry.expires <= this.#now()) {
      this.#values.delete(key);
      return undefined;
    }
    // Most recently used goes last, so eviction takes the coldest first. Reordering costs two map
    // writes on every hit (this runs several times per request), so it waits until the cache is
    // half full: below that nothing is evicted and the order does not matter.
    if (this.#values.size * 2 > this.#maxEntries) {
      this.#values.delete(key);
      this.#values.set(key, entry);
    }
    return entry.value;
  }

  /** The cached value, or the result of `load` (shared with any load of `key` already running). */
  get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const cached = this.peek(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const running = this.#loading.get(key);
    if (running !== undefined) return running;
    const loading = load(key).then(
      (value) => {
        // Dropped by `delete`/`clear` meanwhile: hand the value to the waiters but keep nothing.
        if (this.#loading.get(key) === loading) {
          this.#loading.delete(key);
          if (value !== undefined) this.set(key, value);
        }
        return value;
      },
      (error: unknown) => {
        if (this.#loading.get(key) === loading) this.#loading.delete(key);
        throw error;
      },
    );
    this.#loading.set(key, loading);
    return loading;
  }

  set(key: K, value: V): void {
    if (this.#ttlMs <= 0) return;
    this.#values.delete(key);
    this.#values.set(key, {
      value,
      expires: this.#ttlMs === Infinity ? Infinity : this.#now() + this.#ttlMs,
    });
    if (this.#values.size > this.#maxEntries) {
      const oldest = this.#values.keys().next();
      if (oldest.done !== true) this.#values.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#values.delete(key);
    this.#loading.delete(key);
  }

  /** Removes every value for which `matches` is true. */
  deleteWhere(matches: (value: V) => boolean): void {
    for (const [key, entry] of this.#values) if (matches(entry.value)) this.#values.delete(key);
  }

  clear(): void {
    this.#values.clear();
    this.#loading.clear();
  }

  get size(): number {
    return this.#values.size;
  }
}
