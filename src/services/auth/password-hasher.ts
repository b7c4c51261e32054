import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { KeelError } from '../../core/errors.js';

export interface PasswordHasherOptions {
  /** log2 of scrypt's N (its CPU and memory cost): 16 by default (64 MiB, ~0.1 s); 10 to 18. */
  cost?: number;
}

const defaultCost = 16;
const minCost = 10;
const maxCost = 18;
const blockSize = 8;
const parallelism = 1;
const saltBytes = 16;
const keyBytes = 32;

/**
 * What a stored hash may ask for; anything outside is refused unread, so a tampered row cannot
 * make one login take gigabytes or minutes.
 */
const limits = { cost: [minCost, maxCost], r: [1, 16], p: [1, 4], salt: [8, 64], key: [16, 64] } as const;
/** scrypt needs 128 * N * r bytes. */
const maxMemoryBytes = 256 * 1024 * 1024;

interface ParsedHash {
  cost: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const phcPattern = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function within(value: number, [low, high]: readonly [number, number]): boolean {
  return value >= low && value <= high;
}

/** A stored hash taken apart, or undefined when it is not one this hasher would accept. */
function parseHash(phc: string): ParsedHash | undefined {
  const match = phcPattern.exec(phc);
  if (!match) return undefined;
  const [cost, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const salt = Buffer.from(match[4]!, 'base64');
  const key = Buffer.from(match[5]!, 'base64');
  if (!within(cost, limits.cost) || !within(r, limits.r) || !within(p, limits.p)) return undefined;
  if (128 * 2 ** cost * r > maxMemoryBytes) return undefined;
  if (!within(salt.length, limits.salt) || !within(key.length, limits.key)) return undefined;
  return { cost, r, p, salt, key };
}

function derive(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function scryptOptions(cost: number, r: number, p: number): ScryptOptions {
  const N = 2 ** cost;
  // Node refuses more than 32 MiB unless told: allow what these parameters need, with headroom.
  return { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
}

/**
 * Password hashing with scrypt from `node:crypto` (memory-hard, off the event loop), stored as a
 * PHC string `$scrypt$ln=16,r=8,p=1$<salt>$<hash>` (standard base64 without padding) so that the
 * cost can be raised later without breaking stored hashes.
 *
 * @example
 * const hasher = new PasswordHasher();
 * const stored = await hasher.hash('correct horse battery staple');
 * await hasher.verify('correct horse battery staple', stored); // true
 */
export class PasswordHasher {
  readonly cost: number;
  #dummy: Promise<string> | undefined;

  constructor(options: PasswordHasherOptions = {}) {
    const cost = options.cost ?? defaultCost;
    if (!Number.isInteger(cost) || !within(cost, limits.cost)) {
      throw new KeelError(
        'INVALID_PARAMETER_VALUE',
        `Invalid password hashing cost ${cost}: use an integer from ${minCost} to ${maxCost} (log2 of scrypt's N).`,
      );
    }
    this.cost = cost;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(saltBytes);
    const key = await derive(password, salt, keyBytes, scryptOptions(this.cost, blockSize, parallelism));
    return `$scrypt$ln=${this.cost},r=${blockSize},p=${parallelism}$${b64(salt)}$${b64(key)}`;
  }

  /**
   * Whether `password` matches the stored hash, compared in constant time. A stored value that is
   * not a well-formed scrypt hash within sane limits matches nothing.
   */
  async verify(password: string, phc: string): Promise<boolean> {
    const parsed = parseHash(phc);
    if (parsed === undefined) return false;
    const key = await derive(
      password,
      parsed.salt,
      parsed.key.length,
      scryptOptions(parsed.cost, parsed.r, parsed.p),
    );
    return timingSafeEqual(key, parsed.key);
  }

  /**
   * Spends the time of one verification and answers false: for an unknown username, so that the
   * answer's timing does not tell whether the username exists.
   */
  async verifyNothing(password: string): Promise<false> {
    this.#dummy ??= this.hash(newDummyPassword());
    await this.verify(password, await this.#dummy);
    return false;
  }
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

function newDummyPassword(): string {
  return randomBytes(16).toString('hex');
}
