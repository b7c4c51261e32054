import { describe, expect, it } from 'vitest';
import { formatApiToken, parseApiToken, parseSessionCookie } from '../../src/core/auth/index.js';
import { engines } from '../support/databases.js';
import {
  eventsAfter,
  eventsOf,
  newUser,
  oneEventOf,
  secretKeys,
  stamp,
  ulidPattern,
  uniqueWorkspace,
  useIdentityStore,
} from './identity-store-fixture.js';
import { expectKeelError, uniqueName } from './sql-store-fixture.js';

const ghost = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const secret43 = 'A'.repeat(43);

function hex(label: string): string {
  return Buffer.from(label.padEnd(32, '.')).toString('hex').slice(0, 64);
}

for (const engine of engines) {
  describe(`SqlIdentityStore: tokens, sessions, login throttle (${engine})`, () => {
    const fixture = useIdentityStore(engine, 'keel_ct_credentials');

    describe('API tokens', () => {
      it('creates a token whose id fits the token format, and writes token.create without the secret', async () => {
        const { store, sqlDatabase } = fixture;
        const user = await newUser(store);
        const workspace = uniqueWorkspace();
        await store.createWorkspace({ name: workspace, description: '', now: 1 }, stamp);
        const secretHash = hex('token-secret-one');
        let tokenId = '';
        const event = await oneEventOf(sqlDatabase, async () => {
          const token = await store.createToken(
            { userId: user.userId, name: 'ci', workspace, secretHash, expiresTime: 90_000, now: 10_000 },
            stamp,
          );
          tokenId = token.tokenId;
          expect(token).toEqual({
            tokenId: expect.stringMatching(ulidPattern),
            userId: user.userId,
            name: 'ci',
            workspace,
            createdTime: 10_000,
            expiresTime: 90_000,
            lastUsedTime: null,
            revokedTime: null,
          });
        });
        expect(parseApiToken(formatApiToken(tokenId, secret43))).toEqual({ tokenId, secret: secret43 });
        expect(event).toMatchObject({
          action: 'token.create',
          objectType: 'token',
          objectId: tokenId,
          workspace,
          time: 10_000,
          before: null,
          after: {
            tokenId,
            userId: user.userId,
            username: user.username,
            name: 'ci',
            workspace,
            expiresTime: 90_000,
          },
        });
        expect(event.raw).not.toContain(secretHash);
        expect(event.raw).not.toMatch(secretKeys);
        expect(await store.findToken(tokenId)).toMatchObject({ tokenId, secretHash, workspace });
        expect(await store.findToken(ghost)).toBeUndefined();
      });

      it('lists a user’s tokens newest first, revoked ones included', async () => {
        const { store } = fixture;
        const user = await newUser(store);
        const make = (name: string, now: number) =>
          store.createToken(
            { userId: user.userId, name, workspace: null, secretHash: hex(name), expiresTime: null, now },
            stamp,
          );
        const first = await make('first', 100);
        const second = await make('second', 200);
        const third = await make('third', 300);
        await store.revokeToken(second.tokenId, 400, stamp);
        expect((await store.listTokens(user.userId)).map((t) => [t.name, t.revokedTime])).toEqual([
          ['third', null],
          ['second', 400],
          ['first', null],
        ]);
        expect(first.tokenId < third.tokenId).toBe(true);
        expect(await store.listTokens(ghost)).toEqual([]);
      });

      it('revokes once: a second revocation changes nothing and writes nothing', async () => {
        const { store, sqlDatabase } = fixture;
        const user = await newUser(store);
        const token = await store.createToken(
          {
            userId: user.userId,
            name: 'r',
            workspace: null,
            secretHash: hex('r'),
            expiresTime: null,
            now: 1,
          },
          stamp,
        );
        const event = await oneEventOf(sqlDatabase, () => store.revokeToken(token.tokenId, 500, stamp));
        expect(event).toMatchObject({
          action: 'token.revoke',
          objectType: 'token',
          objectId: token.tokenId,
          before: { tokenId: token.tokenId, revokedTime: null },
          after: { tokenId: token.tokenId, revokedTime: 500 },
        });
        expect(event.raw).not.toMatch(secretKeys);
        expect(await eventsOf(sqlDatabase, () => store.revokeToken(token.tokenId, 900, stamp))).toEqual([]);
        expect((await store.findToken(token.tokenId))?.revokedTime).toBe(500);
        await expectKeelError(
          store.revokeToken(ghost, 1, stamp),
          'RESOURCE_DOES_NOT_EXIST',
          `No API token with id=${ghost} exists.`,
        );
      });

      it('records use without an event, never moving the time backwards', async () => {
        const { store, sqlDatabase } = fixture;
        const user = await newUser(store);
        const token = await store.createToken(
          {
            userId: user.userId,
            name: 'u',
            workspace: null,
            secretHash: hex('u'),
            expiresTime: null,
            now: 1,
          },
          stamp,
        );
        const events = await eventsOf(sqlDatabase, async () => {
          await store.touchToken(token.tokenId, 60_000);
          await store.touchToken(token.tokenId, 30_000);
          await store.touchToken(ghost, 1);
        });
        expect(events).toEqual([]);
        expect((await store.findToken(token.tokenId))?.lastUsedTime).toBe(60_000);
      });

      it('refuses tokens for unknown users and workspaces, writing nothing', async () => {
        const user = await newUser(fixture.store);
        const events = await eventsOf(fixture.sqlDatabase, async () => {
          await expectKeelError(
            fixture.store.createToken(
              { userId: ghost, name: 'x', workspace: null, secretHash: hex('x'), expiresTime: null, now: 1 },
              stamp,
            ),
            'RESOURCE_DOES_NOT_EXIST',
            `No user with id=${ghost} exists.`,
          );
          await expectKeelError(
            fixture.store.createToken(
              {
                userId: user.userId,
                name: 'x',
                workspace: 'nowhere',
                secretHash: hex('x'),
                expiresTime: null,
                now: 1,
              },
              stamp,
            ),
            'RESOURCE_DOES_NOT_EXIST',
            "Workspace 'nowhere' not found.",
          );
        });
        expect(events).toEqual([]);
        expect(await fixture.store.listTokens(user.userId)).toEqual([]);
      });
    });

    describe('sessions', () => {
      it('creates a session (session.login), touches it silently and ends it (session.logout)', async () => {
        const { store, sqlDatabase } = fixture;
        const user = await newUser(store);
        const secretHash = hex('session-secret');
        let sessionId = '';
        const login = await oneEventOf(sqlDatabase, async () => {
          const session = await store.createSession(
            { userId: user.userId, secretHash, now: 1_000, expiresTime: 50_000 },
            stamp,
          );
          sessionId = session.sessionId;
          expect(session).toEqual({
            sessionId: expect.stringMatching(ulidPattern),
            userId: user.userId,
            secretHash,
            createdTime: 1_000,
            expiresTime: 50_000,
            lastSeenTime: 1_000,
          });
        });
        expect(parseSessionCookie(`${sessionId}.${secret43}`)).toEqual({ sessionId, secret: secret43 });
        expect(login).toMatchObject({
          action: 'session.login',
          objectType: 'session',
          objectId: sessionId,
          workspace: null,
          before: null,
          after: { sessionId, userId: user.userId, createdTime: 1_000, expiresTime: 50_000 },
        });
        expect(login.raw).not.toContain(secretHash);
        expect(login.raw).not.toMatch(secretKeys);

        const touches = await eventsOf(sqlDatabase, async () => {
          await store.touchSession(sessionId, 2_000, 60_000);
          await store.touchSession(sessionId, 1_500, 55_000);
        });
        expect(touches).toEqual([]);
        expect(await store.findSession(sessionId)).toMatchObject({
          lastSeenTime: 2_000,
          expiresTime: 60_000,
        });

        const logout = await oneEventOf(sqlDatabase, () => store.deleteSession(sessionId, stamp));
        expect(logout).toMatchObject({ action: 'session.logout', objectId: sessionId, after: null });
        expect(logout.raw).not.toContain(secretHash);
        expect(await store.findSession(sessionId)).toBeUndefined();
        expect(await eventsOf(sqlDatabase, () => store.deleteSession(sessionId, stamp))).toEqual([]);
      });

      it('removes expired sessions silently and says how many', async () => {
        const { store, sqlDatabase } = fixture;
        const user = await newUser(store);
        const at = (expiresTime: number) =>
          store.createSession(
            { userId: user.userId, secretHash: hex(`s${expiresTime}`), now: 1, expiresTime },
            stamp,
          );
        // Far in the future of every other test's sessions, so only these count.
        const base = 10 ** 12;
        const gone = await at(base + 10);
        const edge = await at(base + 20);
        const kept = await at(base + 30);
        const events = await eventsOf(sqlDatabase, async () => {
          await store.deleteExpiredSessions(base - 1);
          expect(await store.deleteExpiredSessions(base + 20)).toBe(2);
        });
        expect(events).toEqual([]);
        expect(await store.findSession(gone.sessionId)).toBeUndefined();
        expect(await store.findSession(edge.sessionId)).toBeUndefined();
        expect(await store.findSession(kept.sessionId)).toBeDefined();
      });

      it('refuses a session for an unknown user', async () => {
        const events = await eventsOf(fixture.sqlDatabase, () =>
          expectKeelError(
            fixture.store.createSession(
              { userId: ghost, secretHash: hex('g'), now: 1, expiresTime: 2 },
              stamp,
            ),
            'RESOURCE_DOES_NOT_EXIST',
          ),
        );
        expect(events).toEqual([]);
      });
    });

    describe('login throttle', () => {
      const windowMs = 15 * 60_000;

      it('counts failures per key in fixed windows, in the order of the keys', async () => {
        const { store, sqlDatabase } = fixture;
        const user = `user:${uniqueName('t')}`;
        const ip = `ip:${uniqueName('10.0.0')}`;
        const start = 100 * windowMs;
        const events = await eventsOf(sqlDatabase, async () => {
          expect(await store.recordAuthFailure([user, ip], start + 5, windowMs)).toEqual([1, 1]);
          expect(await store.recordAuthFailure([ip, user], start + 10, windowMs)).toEqual([2, 2]);
          expect(await store.recordAuthFailure([ip], start + windowMs - 1, windowMs)).toEqual([3]);
          expect(await store.recordAuthFailure([user, user], start + 20, windowMs)).toEqual([3, 3]);
        });
        expect(events).toEqual([]);
        expect(await store.authFailures(user, start + 100, windowMs)).toBe(3);
        expect(await store.authFailures(ip, start, windowMs)).toBe(3);
        // The next window starts over.
        expect(await store.authFailures(ip, start + windowMs, windowMs)).toBe(0);
        expect(await store.recordAuthFailure([ip, user], start + windowMs, windowMs)).toEqual([1, 1]);
        expect(await store.authFailures(ip, start + windowMs + 1, windowMs)).toBe(1);
        expect(await store.authFailures(`ip:${uniqueName('never')}`, start, windowMs)).toBe(0);
      });

      it('takes back one failure in the current window, never below zero nor in another window', async () => {
        const key = `ip:${uniqueName('forgive')}`;
        const start = 300 * windowMs;
        await fixture.store.recordAuthFailure([key], start, windowMs);
        await fixture.store.recordAuthFailure([key], start + 1, windowMs);
        await fixture.store.forgiveAuthFailure(key, start + 2, windowMs);
        expect(await fixture.store.authFailures(key, start + 3, windowMs)).toBe(1);
        await fixture.store.forgiveAuthFailure(key, start + windowMs, windowMs);
        expect(await fixture.store.authFailures(key, start + 4, windowMs)).toBe(1);
        await fixture.store.forgiveAuthFailure(key, start + 5, windowMs);
        await fixture.store.forgiveAuthFailure(key, start + 6, windowMs);
        expect(await fixture.store.authFailures(key, start + 7, windowMs)).toBe(0);
        await fixture.store.forgiveAuthFailure(`ip:${uniqueName('unknown')}`, start, windowMs);
      });

      it('keeps counting in the newer window when a lagging clock reports a failure', async () => {
        const key = `user:${uniqueName('lag')}`;
        const start = 200 * windowMs;
        await fixture.store.recordAuthFailure([key], start + windowMs + 1, windowMs);
        expect(await fixture.store.recordAuthFailure([key], start + windowMs - 1, windowMs)).toEqual([2]);
        expect(await fixture.store.authFailures(key, start + windowMs + 2, windowMs)).toBe(2);
      });

      it('forgets a key’s failures', async () => {
        const key = `user:${uniqueName('clear')}`;
        await fixture.store.recordAuthFailure([key], 1_000, windowMs);
        const events = await eventsOf(fixture.sqlDatabase, () => fixture.store.clearAuthFailures(key));
        expect(events).toEqual([]);
        expect(await fixture.store.authFailures(key, 1_000, windowMs)).toBe(0);
        expect(await fixture.store.recordAuthFailure([key], 1_001, windowMs)).toEqual([1]);
      });

      it('counts concurrent failures exactly, whatever the order of the keys', async () => {
        const a = `user:${uniqueName('race')}`;
        const b = `ip:${uniqueName('race')}`;
        const now = 300 * windowMs;
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            fixture.store.recordAuthFailure(i % 2 === 0 ? [a, b] : [b, a], now, windowMs),
          ),
        );
        const countsOfA = results.map((counts, i) => counts[i % 2 === 0 ? 0 : 1]).sort((x, y) => x! - y!);
        expect(countsOfA).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(await fixture.store.authFailures(a, now, windowMs)).toBe(20);
        expect(await fixture.store.authFailures(b, now, windowMs)).toBe(20);
      });

      it('refuses a window that is not a positive whole number of ms', async () => {
        await expect(fixture.store.recordAuthFailure(['k'], 1, 0)).rejects.toThrow(RangeError);
        await expect(fixture.store.authFailures('k', 1, -5)).rejects.toThrow(RangeError);
      });
    });

    it('no audit row in this file holds a secret or a secret hash', async () => {
      const events = await eventsAfter(fixture.sqlDatabase, 0);
      expect(events.length).toBeGreaterThan(10);
      for (const event of events) {
        expect(event.raw).not.toMatch(secretKeys);
        expect(event.raw).not.toMatch(/\$scrypt\$/);
        // The hashes of this file are hex of readable labels: none of them may appear.
        expect(event.raw).not.toMatch(/[0-9a-f]{64}/);
      }
    });
  });
}
