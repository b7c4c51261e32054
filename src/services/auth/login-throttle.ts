import type { IdentityStore } from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';

/** Failures are counted in fixed 15-minute windows, shared by every replica through the database. */
export const throttleWindowMs = 15 * 60_000;
/** Failed password checks for one username per window before further attempts are refused. */
export const maxFailuresPerUser = 10;
/** Failed password checks from one client address per window before further attempts are refused. */
export const maxFailuresPerAddress = 100;
/** API tokens one user may create per window. */
export const maxTokensPerUser = 20;

/** The throttle's keys for a sign-in attempt: the username (lowercased) and, when known, the address. */
export interface AttemptKeys {
  user: string;
  address: string | undefined;
}

/**
 * The login throttle over the identity store's failure counters. `check` runs before a password is
 * hashed, so a guessing attack is refused without also burning the server's CPU.
 */
export class LoginThrottle {
  readonly #identity: IdentityStore;
  readonly #now: () => number;

  constructor(identity: IdentityStore, now: () => number) {
    this.#identity = identity;
    this.#now = now;
  }

  keys(username: string, ip: string | undefined): AttemptKeys {
    return { user: `user:${username.toLowerCase()}`, address: ip ? `ip:${ip}` : undefined };
  }

  /** `REQUEST_LIMIT_EXCEEDED` when either key is over its limit; else the user's failure count. */
  async check(keys: AttemptKeys): Promise<number> {
    const now = this.#now();
    const [userFailures, addressFailures] = await Promise.all([
      this.#identity.authFailures(keys.user, now, throttleWindowMs),
      keys.address === undefined ? 0 : this.#identity.authFailures(keys.address, now, throttleWindowMs),
    ]);
    if (userFailures >= maxFailuresPerUser)
      throw limitExceeded('Too many failed sign-in attempts for this user', now);
    if (addressFailures >= maxFailuresPerAddress)
      throw limitExceeded('Too many failed sign-in attempts from this address', now);
    return userFailures;
  }

  async recordFailure(keys: AttemptKeys): Promise<void> {
    const all = keys.address === undefined ? [keys.user] : [keys.user, keys.address];
    await this.#identity.recordAuthFailure(all, this.#now(), throttleWindowMs);
  }

  /** After a successful sign-in: forgets the user's failures (only written when there were some). */
  async recordSuccess(keys: AttemptKeys, userFailures: number): Promise<void> {
    if (userFailures > 0) await this.#identity.clearAuthFailures(keys.user);
  }

  /**
   * Counts one token creation by `userId` and refuses it (`REQUEST_LIMIT_EXCEEDED`) past the
   * limit. Counting first keeps concurrent creations from slipping past it together.
   */
  async countTokenCreation(userId: string): Promise<void> {
    const now = this.#now();
    const [count] = await this.#identity.recordAuthFailure([`token:${userId}`], now, throttleWindowMs);
    if ((count ?? 0) > maxTokensPerUser) throw limitExceeded(`Too many API tokens created`, now);
  }
}

/** The windows are aligned on multiples of their length, so the next one starts at a known time. */
function limitExceeded(what: string, now: number): KeelError {
  const nextWindow = (Math.floor(now / throttleWindowMs) + 1) * throttleWindowMs;
  const minutes = Math.max(1, Math.ceil((nextWindow - now) / 60_000));
  return new KeelError(
    'REQUEST_LIMIT_EXCEEDED',
    `${what}; try again in ${minutes} minute${minutes === 1 ? '' : 's'} (at ${new Date(nextWindow).toISOString()}).`,
  );
}
