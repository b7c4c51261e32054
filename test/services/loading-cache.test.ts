import { describe, expect, test } from 'vitest';
import { LoadingCache } from '../../src/services/auth/index.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('LoadingCache', () => {
  let time = 0;
  const now = () => time;

  test('concurrent gets of one key share one load', async () => {
    const cache = new LoadingCache<string, number>({ ttlMs: 1000, maxEntries: 10, now });
    let loads = 0;
    const gate = deferred<number>();
    const load = () => {
      loads += 1;
      return gate.promise;
    };
    const all = Promise.all([cache.get('a', load), cache.get('a', load), cache.get('a', load)]);
    gate.resolve(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(loads).toBe(1);
    expect(await cache.get('a', load)).toBe(7);
    expect(loads).toBe(1);
  });

  test('values expire after the TTL; a TTL of 0 keeps nothing', async () => {
    const cache = new LoadingCache<string, number>({ ttlMs: 1000, maxEntries: 10, now });
    let loads = 0;
    const load = async () => ++loads;
    await cache.get('a', load);
    time += 999;
    expect(cache.peek('a')).toBe(1);
    time += 1;
    expect(cache.peek('a')).toBeUndefined();
    expect(await cache.get('a', load)).toBe(2);
    const none = new LoadingCache<string, number>({ ttlMs: 0, maxEntries: 10, now });
    await none.get('a', load);
    expect(none.size).toBe(0);
  });

  test('undefined and failures are never kept', async () => {
    const cache = new LoadingCache<string, number | undefined>({ ttlMs: 1000, maxEntries: 10, now });
    await cache.get('missing', async () => undefined);
    await expect(cache.get('broken', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(cache.size).toBe(0);
    expect(await cache.get('broken', async () => 3)).toBe(3);
  });

  test('holds at most maxEntries, dropping the least recently used', async () => {
    const cache = new LoadingCache<string, string>({ ttlMs: Infinity, maxEntries: 2, now });
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.peek('a');
    cache.set('c', 'C');
    expect(cache.size).toBe(2);
    expect(cache.peek('b')).toBeUndefined();
    expect(cache.peek('a')).toBe('A');
    expect(cache.peek('c')).toBe('C');
  });

  test('a delete during a load keeps that load’s (possibly stale) value out of the cache', async () => {
    const cache = new LoadingCache<string, string>({ ttlMs: 1000, maxEntries: 10, now });
    const gate = deferred<string>();
    const pending = cache.get('a', () => gate.promise);
    cache.delete('a');
    gate.resolve('stale');
    expect(await pending).toBe('stale');
    expect(cache.peek('a')).toBeUndefined();
    expect(await cache.get('a', async () => 'fresh')).toBe('fresh');
  });
});
