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
 * The login throttle over the identity store's failure counters. Every attempt is counted before
 * its password is hashed (`reserve`) and refused past the limit, so neither a burst of concurrent
 * guesses nor a slow trickle gets more than its share checked, and a refused guess costs no scrypt.
 * An attempt that succeeds is taken back (`succeeded`): the user's count is cleared, the address
 * gets its one attempt back.
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

  /**
   * Counts the attempt for the user and the address; `REQUEST_LIMIT_EXCEEDED` when either is past
   * its limit (10 failures for a user, 100 for an address, per window).
   */
  async reserve(keys: AttemptKeys): Promise<void> {
    const now = this.#now();
    const all = keys.address === undefined ? [keys.user] : [keys.user, keys.address];
    const [userAttempts = 0, addressAttempts = 0] = await this.#identity.recordAuthFailure(
      all,
      now,
      throttleWindowMs,
    );
    if (userAttempts > maxFailuresPerUser)
      throw limitExceeded('Too many failed sign-in attempts for this user', now);
    if (addressAttempts > maxFailuresPerAddress)
      throw limitExceeded('Too many failed sign-in attempts from this address', now);
  }

  /** The reserved attempt succeeded: forgets the user's failures and gives the address its attempt back. */
  async succeeded(keys: AttemptKeys): Promise<void> {
    await Promise.all([
      this.#identity.clearAuthFailures(keys.user),
      keys.address === undefined
        ? undefined
        : this.#identity.forgiveAuthFailure(keys.address, this.#now(), throttleWindowMs),
    ]);
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
