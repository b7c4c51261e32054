import { randomBytes } from 'node:crypto';
import {
  auditStamp,
  defaultWorkspace,
  formatSessionCookie,
  parseApiToken,
  parseAuthorization,
  parseSessionCookie,
  unauthenticatedCaller,
  type AccessSubject,
  type ApiTokenSecret,
  type Caller,
  type IdentityStore,
  type Session,
  type User,
  type UserCredentials,
} from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import { defaultCacheTtlMs, type AccessControl } from './access-control.js';
import { LoadingCache } from './loading-cache.js';
import { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';
import { publicUser } from './public-user.js';
import { hmac, newSecret, safeEqual, secretHash, secretMatches } from './secrets.js';

/** What a request presents, as the HTTP layer read it. */
export interface AuthenticateInput {
  method: string;
  /** The `Authorization` header. */
  authorization?: string;
  /** The `keel_session` cookie's value. */
  sessionCookie?: string;
  /** The `X-CSRF-Token` header. */
  csrfToken?: string;
  /** The `X-Keel-Workspace` header. */
  workspace?: string;
  ip?: string;
  requestId?: string;
}

export interface AuthServiceOptions {
  identity: IdentityStore;
  access: AccessControl;
  hasher: PasswordHasher;
  /** Off: every request is the unauthenticated caller, whatever it presents. */
  enabled: boolean;
  /** How long token and session rows are reused: 1000 ms by default. */
  cacheTtlMs?: number;
  now?: () => number;
  /** A session ends after this long without use: 12 hours by default. */
  sessionIdleMs?: number;
  /** A session ends this long after sign-in, used or not: 7 days by default. */
  sessionMaxMs?: number;
}

export interface LoginResult {
  /** The `keel_session` cookie's value. */
  cookieValue: string;
  /** What cookie-authenticated writes must send as `X-CSRF-Token`. */
  csrfToken: string;
  user: User;
  /** When the session ends if it is not used (it slides with use, up to `endTime`). */
  expiresTime: number;
  /** When the session ends however much it is used: how long the browser should keep the cookie. */
  endTime: number;
}

export const defaultSessionIdleMs = 12 * 3600_000;
export const defaultSessionMaxMs = 7 * 24 * 3600_000;
/** Last-used times (tokens) and session activity are written at most this often. */
const touchIntervalMs = 60_000;
/**
 * Verified passwords are remembered this long; each use also checks the user's
 * `credentialsChangedTime` (from the access snapshot), so a password change ends them at once.
 */
const verifiedPasswordTtlMs = 5 * 60_000;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Proof {
  subject: AccessSubject;
  tokenWorkspace: string | null;
  via: Caller['via'];
}

interface VerifiedPassword {
  userId: string;
  credentialsChangedTime: number;
}

const invalidPassword = 'Invalid username or password.';
const invalidToken = 'Invalid API token.';
const invalidSession = 'Invalid session; sign in again.';

function unauthenticated(message: string): KeelError {
  return new KeelError('UNAUTHENTICATED', message);
}

/**
 * Who a request is: a Bearer API token, HTTP Basic (a username with a password, or with an API
 * token as the password, for clients that only set MLFLOW_TRACKING_USERNAME/PASSWORD), or the web
 * UI's session cookie (with a CSRF token on writes). Sign-in attempts are throttled per username
 * and per address; a failed password never says whether the username exists.
 *
 * On the hot path nothing touches the database once warm: token and session rows are reused for
 * `cacheTtlMs`, verified passwords are remembered under an HMAC with a key that never leaves this
 * process (the password itself is never kept), and the caller's access snapshot comes from
 * `AccessControl`'s cache. Revocation and logout through this process apply at once.
 */
export class AuthService {
  readonly enabled: boolean;
  readonly #identity: IdentityStore;
  readonly #access: AccessControl;
  readonly #hasher: PasswordHasher;
  readonly #now: () => number;
  readonly #idleMs: number;
  readonly #maxMs: number;
  readonly #throttle: LoginThrottle;
  readonly #tokens: LoadingCache<string, ApiTokenSecret | undefined>;
  readonly #sessions: LoadingCache<string, Session | undefined>;
  readonly #verified: LoadingCache<string, VerifiedPassword>;
  /** Token or session id -> when this process last recorded its use. */
  readonly #touched = new Map<string, number>();
  /** Prefixes what verified passwords are remembered under; never leaves this process. */
  readonly #credentialKey = randomBytes(32).toString('base64url');
  /**
   * A cached token row -> its secret, once a request proved it: later requests compare bytes in
   * constant time instead of hashing again. Lives as long as the cached row (the cache's TTL).
   */
  readonly #provenSecrets = new WeakMap<ApiTokenSecret, Buffer>();

  constructor(options: AuthServiceOptions) {
    this.enabled = options.enabled;
    this.#identity = options.identity;
    this.#access = options.access;
    this.#hasher = options.hasher;
    this.#now = options.now ?? Date.now;
    this.#idleMs = options.sessionIdleMs ?? defaultSessionIdleMs;
    this.#maxMs = options.sessionMaxMs ?? defaultSessionMaxMs;
    this.#throttle = new LoginThrottle(this.#identity, this.#now);
    const ttlMs = options.cacheTtlMs ?? defaultCacheTtlMs;
    const now = this.#now;
    this.#tokens = new LoadingCache({ ttlMs, maxEntries: 10_000, now });
    this.#sessions = new LoadingCache({ ttlMs, maxEntries: 10_000, now });
    this.#verified = new LoadingCache({ ttlMs: verifiedPasswordTtlMs, maxEntries: 10_000, now });
  }

  /**
   * The caller a request stands for. `UNAUTHENTICATED` without valid credentials (an expired or
   * revoked token says so), `REQUEST_LIMIT_EXCEEDED` while sign-in attempts are throttled,
   * `PERMISSION_DENIED` for a cookie-authenticated write without the right CSRF token, and
   * `RESOURCE_DOES_NOT_EXIST` for a workspace the caller cannot see. With authentication off it is
   * the unauthenticated caller in the requested workspace, whatever credentials were sent.
   */
  async authenticate(input: AuthenticateInput): Promise<Caller> {
    if (!this.enabled) {
      const caller = unauthenticatedCaller({ requestId: input.requestId, ip: input.ip });
      if (input.workspace) caller.workspace = await this.#access.resolveWorkspace(caller, input.workspace);
      return caller;
    }
    const caller = this.#callerOf(await this.#prove(input), input);
    if (input.workspace) caller.workspace = await this.#access.resolveWorkspace(caller, input.workspace);
    return caller;
  }

  /**
   * The hot path of `authenticate`: the caller, decided synchronously, when everything it needs is
   * cached (a token row or a verified password, and the user's access snapshot) and no workspace
   * is requested; else undefined, and the caller must use `authenticate`. Throws what
   * `authenticate` would reject with. Saves each request the promises of the full path.
   */
  authenticateCached(input: AuthenticateInput): Caller | undefined {
    if (input.workspace) return undefined;
    if (!this.enabled) return unauthenticatedCaller({ requestId: input.requestId, ip: input.ip });
    const presented = parseAuthorization(input.authorization);
    if (presented === undefined || presented === 'malformed') return undefined;
    let proof: Proof | undefined;
    if (presented.kind === 'bearer') proof = this.#cachedTokenProof(presented.token);
    else if (parseApiToken(presented.password) !== undefined)
      proof = this.#cachedTokenProof(presented.password, presented.username);
    else proof = this.#cachedPasswordProof(presented.username, presented.password);
    return proof === undefined ? undefined : this.#callerOf(proof, input);
  }

  #callerOf(proof: Proof, input: AuthenticateInput): Caller {
    const { subject, tokenWorkspace } = proof;
    return {
      user: {
        userId: subject.userId,
        username: subject.username,
        kind: subject.kind,
        isAdmin: subject.isAdmin,
      },
      workspace: tokenWorkspace ?? defaultWorkspace,
      tokenWorkspace,
      via: proof.via,
      requestId: input.requestId,
      ip: input.ip,
    };
  }

  /**
   * Signs in with a password and opens a session (idle and absolute limits apply). Throttled like
   * every password check; `UNAUTHENTICATED` "Invalid username or password." for any mismatch.
   */
  async login(input: {
    username: string;
    password: string;
    ip?: string;
    requestId?: string;
  }): Promise<LoginResult> {
    if (!this.enabled)
      throw new KeelError(
        'INVALID_STATE',
        'Authentication is off on this server: there is nothing to sign in to.',
      );
    if (typeof input.username !== 'string' || typeof input.password !== 'string' || input.username === '')
      throw new KeelError('INVALID_PARAMETER_VALUE', 'Sign-in needs a username and a password.');
    const user = await this.#checkPassword(input.username, input.password, input.ip);
    const secret = newSecret();
    const now = this.#now();
    const session = await this.#identity.createSession(
      {
        userId: user.userId,
        secretHash: secretHash(secret),
        now,
        expiresTime: now + Math.min(this.#idleMs, this.#maxMs),
      },
      { actorId: user.userId, actorName: user.username, requestId: input.requestId, ip: input.ip },
    );
    const cookieValue = formatSessionCookie(session.sessionId, secret);
    return {
      cookieValue,
      csrfToken: this.csrfTokenFor(cookieValue),
      user: publicUser(user),
      expiresTime: session.expiresTime,
      endTime: now + this.#maxMs,
    };
  }

  /** Ends the session the cookie names, when it is a real one; anything else is a no-op. */
  async logout(caller: Caller, cookieValue: string | undefined): Promise<void> {
    const parsed = cookieValue === undefined ? undefined : parseSessionCookie(cookieValue);
    if (parsed === undefined) return;
    const session = await this.#identity.findSession(parsed.sessionId);
    if (session === undefined || !secretMatches(parsed.secret, session.secretHash)) return;
    await this.#identity.deleteSession(session.sessionId, auditStamp(caller));
    this.#sessions.delete(session.sessionId);
  }

  /** The CSRF token of a session: base64url(HMAC-SHA256(session secret, 'csrf')), stateless. */
  csrfTokenFor(cookieValue: string): string {
    const parsed = parseSessionCookie(cookieValue);
    if (parsed === undefined) throw unauthenticated(invalidSession);
    return hmac(parsed.secret, 'csrf');
  }

  /**
   * Checks a user's password with the sign-in throttle, as a login does (for changing one's own
   * password). `UNAUTHENTICATED` on a mismatch, `REQUEST_LIMIT_EXCEEDED` while throttled.
   */
  async verifyPassword(username: string, password: string, ip?: string): Promise<User> {
    return publicUser(await this.#checkPassword(username, password, ip));
  }

  /** Drops a token's cached row (after revocation), so its next use is refused at once. */
  forgetToken(tokenId: string): void {
    this.#tokens.delete(tokenId);
  }

  /** Drops everything cached about a user's tokens and sessions (after a password change, disabling, deletion). */
  forgetUser(userId: string): void {
    this.#tokens.deleteWhere((token) => token?.userId === userId);
    this.#sessions.deleteWhere((session) => session?.userId === userId);
  }

  #prove(input: AuthenticateInput): Promise<Proof> {
    const presented = parseAuthorization(input.authorization);
    if (presented === 'malformed') {
      throw unauthenticated(
        "Malformed Authorization header: send 'Bearer <API token>' or 'Basic <base64 of username:password>'.",
      );
    }
    if (presented?.kind === 'bearer') return this.#viaToken(presented.token);
    if (presented?.kind === 'basic') {
      // An API token as the password: for clients that can only send a username and a password.
      return parseApiToken(presented.password) === undefined
        ? this.#viaPassword(presented.username, presented.password, input.ip)
        : this.#viaToken(presented.password, presented.username);
    }
    if (input.sessionCookie) return this.#viaSession(input.sessionCookie, input.method, input.csrfToken);
    throw unauthenticated(
      'Authentication required: send an API token (Authorization: Bearer, or MLFLOW_TRACKING_TOKEN) or a username and password (Basic).',
    );
  }

  async #viaToken(token: string, username?: string): Promise<Proof> {
    const parsed = parseApiToken(token);
    if (parsed === undefined) throw unauthenticated(invalidToken);
    const row = await this.#tokens.get(parsed.tokenId, (id) => this.#identity.findToken(id));
    if (row === undefined || !secretMatches(parsed.secret, row.secretHash))
      throw unauthenticated(invalidToken);
    return this.#tokenProof(row, await this.#access.subject(row.userId), username);
  }

  /** As `#viaToken` from the caches alone; undefined when something is not cached. */
  #cachedTokenProof(token: string, username?: string): Proof | undefined {
    const parsed = parseApiToken(token);
    if (parsed === undefined) return undefined;
    const row = this.#tokens.peek(parsed.tokenId);
    if (row === undefined) return undefined;
    const subject = this.#access.cachedSubject(row.userId);
    if (subject === undefined) return undefined;
    if (!this.#secretProven(parsed.secret, row)) throw unauthenticated(invalidToken);
    return this.#tokenProof(row, subject, username);
  }

  #secretProven(secret: string, row: ApiTokenSecret): boolean {
    const proven = this.#provenSecrets.get(row);
    if (proven !== undefined) return safeEqual(secret, proven);
    if (!secretMatches(secret, row.secretHash)) return false;
    this.#provenSecrets.set(row, Buffer.from(secret));
    return true;
  }

  /** The checks on a token whose secret matched its row. */
  #tokenProof(row: ApiTokenSecret, subject: AccessSubject | undefined, username: string | undefined): Proof {
    if (row.revokedTime !== null) throw unauthenticated('The API token has been revoked.');
    const now = this.#now();
    if (row.expiresTime !== null && row.expiresTime <= now)
      throw unauthenticated('The API token has expired; create a new one.');
    if (subject === undefined) throw unauthenticated(invalidToken);
    if (subject.disabled) throw unauthenticated("The API token's user is disabled.");
    if (username !== undefined && username.toLowerCase() !== subject.username.toLowerCase())
      throw unauthenticated(invalidPassword);
    if (this.#due(row.tokenId, row.lastUsedTime, now)) {
      // Bookkeeping only: a failed write must neither fail the request nor go unhandled.
      this.#identity.touchToken(row.tokenId, now).catch(() => undefined);
    }
    return { subject, tokenWorkspace: row.workspace, via: 'token' };
  }

  /** A password verified before, from the caches alone; undefined when it must be checked again. */
  #cachedPasswordProof(username: string, password: string): Proof | undefined {
    const known = this.#verified.peek(this.#credentialDigest(username, password));
    if (known === undefined) return undefined;
    const subject = this.#access.cachedSubject(known.userId);
    if (
      subject === undefined ||
      subject.disabled ||
      subject.credentialsChangedTime !== known.credentialsChangedTime
    )
      return undefined;
    return { subject, tokenWorkspace: null, via: 'password' };
  }

  async #viaPassword(username: string, password: string, ip: string | undefined): Promise<Proof> {
    const key = this.#credentialDigest(username, password);
    const known = this.#verified.peek(key);
    if (known !== undefined) {
      const subject = await this.#access.subject(known.userId);
      if (
        subject !== undefined &&
        !subject.disabled &&
        subject.credentialsChangedTime === known.credentialsChangedTime
      )
        return { subject, tokenWorkspace: null, via: 'password' };
      this.#verified.delete(key);
    }
    // Concurrent requests with the same credentials share one check (one scrypt, one throttle read).
    const verified = await this.#verified.get(key, async () => {
      const user = await this.#checkPassword(username, password, ip);
      return { userId: user.userId, credentialsChangedTime: user.credentialsChangedTime };
    });
    const subject = await this.#access.subject(verified.userId);
    if (subject === undefined) throw unauthenticated(invalidPassword);
    if (subject.disabled) throw unauthenticated('This account is disabled.');
    return { subject, tokenWorkspace: null, via: 'password' };
  }

  async #viaSession(cookie: string, method: string, csrfToken: string | undefined): Promise<Proof> {
    const parsed = parseSessionCookie(cookie);
    if (parsed === undefined) throw unauthenticated(invalidSession);
    const session = await this.#sessions.get(parsed.sessionId, (id) => this.#identity.findSession(id));
    if (session === undefined || !secretMatches(parsed.secret, session.secretHash))
      throw unauthenticated(invalidSession);
    const now = this.#now();
    const hardEnd = session.createdTime + this.#maxMs;
    if (session.expiresTime <= now || hardEnd <= now)
      throw unauthenticated('The session has expired; sign in again.');
    if (
      !safeMethods.has(method.toUpperCase()) &&
      !(csrfToken && safeEqual(csrfToken, hmac(parsed.secret, 'csrf')))
    ) {
      throw new KeelError(
        'PERMISSION_DENIED',
        'Missing or invalid CSRF token: send the X-CSRF-Token header with the csrf_token the sign-in answered.',
      );
    }
    const subject = await this.#access.subject(session.userId);
    if (subject === undefined) throw unauthenticated(invalidSession);
    if (subject.disabled) throw unauthenticated('This account is disabled.');
    if (this.#due(session.sessionId, session.lastSeenTime, now)) {
      const expiresTime = Math.min(now + this.#idleMs, hardEnd);
      this.#identity.touchSession(session.sessionId, now, expiresTime).catch(() => undefined);
    }
    return { subject, tokenWorkspace: null, via: 'session' };
  }

  /**
   * The throttled password check shared by Basic, login and password changes. The attempt is
   * counted before any hashing (so concurrent guesses cannot all slip under the limit); an unknown
   * username costs the same scrypt as a known one.
   */
  async #checkPassword(username: string, password: string, ip: string | undefined): Promise<UserCredentials> {
    const keys = this.#throttle.keys(username, ip);
    await this.#throttle.reserve(keys);
    const user = await this.#identity.findUserByName(username);
    const hash = user?.passwordHash ?? null;
    const matches =
      hash === null ? await this.#hasher.verifyNothing(password) : await this.#hasher.verify(password, hash);
    // A failure stays counted (it was, before hashing); a success is taken back.
    if (!matches || user === undefined) throw unauthenticated(invalidPassword);
    if (user.disabled) throw unauthenticated('This account is disabled.');
    await this.#throttle.succeeded(keys);
    // A snapshot read before a change made elsewhere would make the next request check again.
    const cached = await this.#access.subject(user.userId);
    if (cached !== undefined && cached.credentialsChangedTime !== user.credentialsChangedTime)
      this.#access.invalidate(user.userId);
    return user;
  }

  /**
   * What a verified username and password are remembered under: SHA-256 over a per-process random
   * key and the credentials. Keyed, so the cache holds nothing a dump could test guesses against
   * offline; a one-shot hash rather than an HMAC object, because this runs on every Basic request.
   * The digest never leaves the process, so length extension is no concern.
   */
  #credentialDigest(username: string, password: string): string {
    return secretHash(`${this.#credentialKey}\0${username}\0${password}`);
  }

  /** Whether a use of `id` should be recorded now (at most once a minute per token or session). */
  #due(id: string, lastRecorded: number | null, now: number): boolean {
    const last = Math.max(this.#touched.get(id) ?? 0, lastRecorded ?? 0);
    if (now - last < touchIntervalMs) return false;
    if (this.#touched.size >= 10_000) this.#touched.clear();
    this.#touched.set(id, now);
    return true;
  }
}
