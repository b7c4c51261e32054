import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/core/blob/index.js';
import { KeelError } from '../../src/core/errors.js';

export interface BlobStoreUnderTest {
  store: BlobStore;
  /** Removes whatever the store created (a temp folder, a bucket). */
  cleanup(): Promise<void>;
}

/**
 * The behaviour every `BlobStore` must show, run against each implementation:
 * `blobStoreContract('LocalBlobStore', async () => ...)`. Each call of `makeStore` gives an empty store.
 */
export function blobStoreContract(name: string, makeStore: () => Promise<BlobStoreUnderTest>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let subject: BlobStoreUnderTest;
    let blobs: BlobStore;
    beforeAll(async () => {
      subject = await makeStore();
      blobs = subject.store;
    });
    afterAll(async () => {
      await subject.cleanup();
    });

    describe('put and get', () => {
      it('round-trips a small object and reports its size', async () => {
        const result = await blobs.put('rt/hello.txt', textStream('hello, world'));
        expect(result).toEqual({ size: 12 });
        const got = await blobs.get('rt/hello.txt');
        expect(got.size).toBe(12);
        expect(await readText(got.body)).toBe('hello, world');
        const stat = await blobs.stat('rt/hello.txt');
        expect(stat?.size).toBe(12);
        expect(stat?.modifiedAt).toBeGreaterThan(Date.now() - 60_000);
      });

      it('stores an empty object', async () => {
        expect(await blobs.put('rt/empty.bin', Readable.from([]))).toEqual({ size: 0 });
        const got = await blobs.get('rt/empty.bin');
        expect(got.size).toBe(0);
        expect(await readText(got.body)).toBe('');
        expect(await blobs.stat('rt/empty.bin')).toMatchObject({ size: 0 });
      });

      it('replaces an existing object', async () => {
        await blobs.put('rt/replace.txt', textStream('first version, longer'));
        await blobs.put('rt/replace.txt', textStream('second'));
        expect(await readText((await blobs.get('rt/replace.txt')).body)).toBe('second');
        expect((await blobs.stat('rt/replace.txt'))?.size).toBe(6);
      });

      it('keeps names with spaces, unicode and dots', async () => {
        const key = 'rt/odd names/ünï cødé file.tar.gz';
        await blobs.put(key, textStream('x'));
        expect(await readText((await blobs.get(key)).body)).toBe('x');
        expect((await blobs.list('rt/odd names')).files).toEqual([{ name: 'ünï cødé file.tar.gz', size: 1 }]);
      });

      it('streams a 50 MB body in and out without holding it', async () => {
        const size = 50 * 1024 * 1024;
        const sent = generated(size, 7);
        const result = await blobs.put('big/blob.bin', sent.stream);
        expect(result.size).toBe(size);
        const got = await blobs.get('big/blob.bin');
        expect(got.size).toBe(size);
        const hash = createHash('sha256');
        let received = 0;
        for await (const chunk of got.body) {
          hash.update(chunk as Buffer);
          received += (chunk as Buffer).length;
        }
        expect(received).toBe(size);
        expect(hash.digest('hex')).toBe(sent.digest());
      });

      it('fails with RESOURCE_DOES_NOT_EXIST for an absent object or a directory', async () => {
        await expectKeelError(blobs.get('rt/absent.txt'), 'RESOURCE_DOES_NOT_EXIST');
        await expectKeelError(blobs.get('rt'), 'RESOURCE_DOES_NOT_EXIST');
        await expectKeelError(blobs.get('rt/hello.txt/below'), 'RESOURCE_DOES_NOT_EXIST');
        expect(await blobs.stat('rt/absent.txt')).toBeUndefined();
        expect(await blobs.stat('rt')).toBeUndefined();
      });

      it('refuses to write over a directory or below an object', async () => {
        await expectKeelError(blobs.put('rt', textStream('x')), 'INVALID_PARAMETER_VALUE');
        await expectKeelError(blobs.put('rt/hello.txt/below', textStream('x')), 'INVALID_PARAMETER_VALUE');
        expect(await readText((await blobs.get('rt/hello.txt')).body)).toBe('hello, world');
        expect((await blobs.list('rt')).dirs).toContain('odd names');
      });

      it('leaves no object and keeps the old one when the body fails midway', async () => {
        await blobs.put('fail/kept.txt', textStream('old content'));
        const failing = failingStream(3 * 65536);
        await expect(blobs.put('fail/kept.txt', failing)).rejects.toThrow('source broke');
        await expect(blobs.put('fail/new.txt', failingStream(65536))).rejects.toThrow('source broke');
        expect(await readText((await blobs.get('fail/kept.txt')).body)).toBe('old content');
        expect(await blobs.stat('fail/new.txt')).toBeUndefined();
        expect(await blobs.list('fail')).toEqual({ files: [{ name: 'kept.txt', size: 11 }], dirs: [] });
      });

      it('never shows a reader or a listing part of an upload in progress', async () => {
        await blobs.put('atomic/file.bin', textStream('AAAA'));
        let release!: () => void;
        const gate = new Promise<void>((resolveGate) => (release = resolveGate));
        const slow = Readable.from(
          (async function* () {
            yield Buffer.alloc(100_000, 66);
            await gate;
            yield Buffer.alloc(100_000, 66);
          })(),
        );
        const writing = blobs.put('atomic/file.bin', slow);
        const writingNew = blobs.put(
          'atomic/other.bin',
          Readable.from(
            (async function* () {
              yield Buffer.alloc(10, 67);
              await gate;
            })(),
          ),
        );
        await new Promise((resolveWait) => setTimeout(resolveWait, 50));
        expect(await readText((await blobs.get('atomic/file.bin')).body)).toBe('AAAA');
        expect(await blobs.stat('atomic/other.bin')).toBeUndefined();
        expect(await blobs.list('atomic')).toEqual({ files: [{ name: 'file.bin', size: 4 }], dirs: [] });
        release();
        expect(await writing).toEqual({ size: 200_000 });
        expect(await writingNew).toEqual({ size: 10 });
        const after = await blobs.get('atomic/file.bin');
        expect(after.size).toBe(200_000);
        expect((await readText(after.body)).length).toBe(200_000);
      });
    });

    describe('ranged get', () => {
      const digits = '0123456789abcdefghij';
      beforeAll(async () => {
        await blobs.put('range/digits.txt', textStream(digits));
      });

      it('reads from a start to the end, reporting the whole size', async () => {
        const got = await blobs.get('range/digits.txt', { start: 15 });
        expect(got.size).toBe(20);
        expect(await readText(got.body)).toBe('fghij');
      });

      it('reads an inclusive start..end window', async () => {
        expect(await readText((await blobs.get('range/digits.txt', { start: 2, end: 5 })).body)).toBe('2345');
        expect(await readText((await blobs.get('range/digits.txt', { start: 0, end: 0 })).body)).toBe('0');
        expect(await readText((await blobs.get('range/digits.txt', { start: 19, end: 19 })).body)).toBe('j');
      });

      it('clamps an end past the object to its last byte', async () => {
        expect(await readText((await blobs.get('range/digits.txt', { start: 18, end: 1000 })).body)).toBe(
          'ij',
        );
      });

      it('refuses a start at or past the end, a negative start and an end before the start', async () => {
        await expectKeelError(blobs.get('range/digits.txt', { start: 20 }), 'INVALID_PARAMETER_VALUE');
        await expectKeelError(blobs.get('range/digits.txt', { start: -1 }), 'INVALID_PARAMETER_VALUE');
        await expectKeelError(blobs.get('range/digits.txt', { start: 5, end: 4 }), 'INVALID_PARAMETER_VALUE');
        await expectKeelError(blobs.get('range/absent.txt', { start: 0 }), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('reads a range deep inside a large object', async () => {
        const sent = generated(3 * 1024 * 1024, 11);
        await blobs.put('range/large.bin', sent.stream);
        const whole = (await blobs.get('range/large.bin')).body;
        const full = Buffer.concat(await whole.toArray());
        const start = 1_500_001;
        const end = 2_700_003;
        const part = Buffer.concat(await (await blobs.get('range/large.bin', { start, end })).body.toArray());
        expect(part.length).toBe(end - start + 1);
        expect(part.equals(full.subarray(start, end + 1))).toBe(true);
      });
    });

    describe('list', () => {
      beforeAll(async () => {
        for (const [key, body] of [
          ['tree/b.txt', 'bb'],
          ['tree/a.txt', 'a'],
          ['tree/sub/c.bin', 'ccc'],
          ['tree/sub/deeper/d.bin', 'dddd'],
          ['tree/another/e', ''],
          ['tree-sibling/f', 'f'],
        ] as const) {
          await blobs.put(key, textStream(body));
        }
      });

      it('lists one level: objects with sizes and sub-directories, each sorted by name', async () => {
        expect(await blobs.list('tree')).toEqual({
          files: [
            { name: 'a.txt', size: 1 },
            { name: 'b.txt', size: 2 },
          ],
          dirs: ['another', 'sub'],
        });
        expect(await blobs.list('tree/sub')).toEqual({
          files: [{ name: 'c.bin', size: 3 }],
          dirs: ['deeper'],
        });
        expect(await blobs.list('tree/sub/')).toEqual(await blobs.list('tree/sub'));
      });

      it('lists the root with the empty prefix', async () => {
        const root = await blobs.list('');
        expect(root.dirs).toEqual(expect.arrayContaining(['tree', 'tree-sibling', 'rt']));
      });

      it('lists nothing for an absent prefix or an object key', async () => {
        expect(await blobs.list('tree/nope')).toEqual({ files: [], dirs: [] });
        expect(await blobs.list('tree/a.txt')).toEqual({ files: [], dirs: [] });
      });
    });

    describe('delete', () => {
      it('removes one object; absent keys and directory keys are no-ops', async () => {
        await blobs.put('del/one/x.txt', textStream('x'));
        await blobs.put('del/one/y.txt', textStream('y'));
        await blobs.delete('del/one/x.txt');
        expect(await blobs.stat('del/one/x.txt')).toBeUndefined();
        await blobs.delete('del/one/x.txt');
        await blobs.delete('del/never/was');
        await blobs.delete('del/one');
        expect(await blobs.list('del/one')).toEqual({ files: [{ name: 'y.txt', size: 1 }], dirs: [] });
      });

      it('makes a directory vanish with its last object', async () => {
        await blobs.put('del/lonely/deep/z.txt', textStream('z'));
        await blobs.delete('del/lonely/deep/z.txt');
        expect((await blobs.list('del')).dirs).not.toContain('lonely');
      });

      it('deletePrefix removes everything below a directory key and counts the objects', async () => {
        await blobs.put('dp/run/a.txt', textStream('a'));
        await blobs.put('dp/run/sub/b.txt', textStream('b'));
        await blobs.put('dp/run/sub/deeper/c.txt', textStream('c'));
        await blobs.put('dp/run2/keep.txt', textStream('k'));
        await blobs.put('dp/run-x.txt', textStream('k'));
        expect(await blobs.deletePrefix('dp/run')).toBe(3);
        expect(await blobs.list('dp')).toEqual({ files: [{ name: 'run-x.txt', size: 1 }], dirs: ['run2'] });
        expect(await blobs.stat('dp/run/sub/b.txt')).toBeUndefined();
        expect(await blobs.deletePrefix('dp/run')).toBe(0);
        expect(await blobs.deletePrefix('dp/absent')).toBe(0);
      });

      it('deletePrefix on an object key removes nothing', async () => {
        expect(await blobs.deletePrefix('dp/run-x.txt')).toBe(0);
        expect(await blobs.stat('dp/run-x.txt')).toMatchObject({ size: 1 });
      });
    });

    describe('confinement', () => {
      const hostile = [
        '../x',
        '../../etc/passwd',
        'a/../../x',
        'a/./b',
        '/etc/passwd',
        'a\\..\\b',
        'a\0b',
        'a//b',
        'C:/x',
      ];

      it.each(hostile)('refuses the key %j everywhere with "Invalid path"', async (key) => {
        const before = await blobs.list('');
        await expectKeelError(blobs.put(key, textStream('evil')), 'INVALID_PARAMETER_VALUE', 'Invalid path');
        await expectKeelError(blobs.get(key), 'INVALID_PARAMETER_VALUE', 'Invalid path');
        await expectKeelError(blobs.stat(key), 'INVALID_PARAMETER_VALUE', 'Invalid path');
        await expectKeelError(blobs.list(key), 'INVALID_PARAMETER_VALUE', 'Invalid path');
        await expectKeelError(blobs.delete(key), 'INVALID_PARAMETER_VALUE', 'Invalid path');
        await expectKeelError(blobs.deletePrefix(key), 'INVALID_PARAMETER_VALUE', 'Invalid path');
        expect(await blobs.list('')).toEqual(before);
      });

      it('refuses to put at the empty key', async () => {
        await expectKeelError(blobs.put('', textStream('x')), 'INVALID_PARAMETER_VALUE');
      });
    });
  });
}

export function textStream(text: string): Readable {
  return Readable.from([Buffer.from(text)]);
}

export async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `size` deterministic pseudo-random bytes produced 64 KiB at a time, with their SHA-256 computed
 * as they go out (read `digest()` after the stream ended).
 */
export function generated(size: number, seed: number): { stream: Readable; digest(): string } {
  const hash = createHash('sha256');
  let state = seed >>> 0 || 1;
  let remaining = size;
  const stream = new Readable({
    read() {
      if (remaining === 0) {
        this.push(null);
        return;
      }
      const length = Math.min(65536, remaining);
      const chunk = Buffer.allocUnsafe(Math.ceil(length / 4) * 4);
      for (let i = 0; i < chunk.length; i += 4) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        chunk.writeUInt32LE(state, i);
      }
      remaining -= length;
      const bytes = chunk.subarray(0, length);
      hash.update(bytes);
      this.push(bytes);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

/** Yields `bytesBeforeFailure` bytes, then errors with "source broke". */
export function failingStream(bytesBeforeFailure: number): Readable {
  return Readable.from(
    (async function* () {
      let sent = 0;
      while (sent < bytesBeforeFailure) {
        yield Buffer.alloc(Math.min(65536, bytesBeforeFailure - sent), 1);
        sent += 65536;
      }
      throw new Error('source broke');
    })(),
  );
}

export async function expectKeelError(
  promise: Promise<unknown>,
  code: string,
  message?: string,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(KeelError);
  expect((error as KeelError).code).toBe(code);
  if (message !== undefined) expect((error as KeelError).message).toBe(message);
}
