import type { Selectable } from 'kysely';
import type { AuditStamp } from '../../core/audit/index.js';
import type { ApiToken, ApiTokenSecret, Session } from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import { lockRows } from './dialect.js';
import { newUlid } from './entity-ids.js';
import type { ApiTokensTable, SessionsTable } from './schema.js';
import { appendAuditEvent } from './sql-audit.js';
import { requireUser } from './sql-identity-users.js';
import { requireWorkspace } from './sql-identity-workspaces.js';
import { inTransaction, type SqlSource } from './sql-transaction.js';

/**
 * API tokens and web sessions. Only SHA-256 hashes of their secrets are stored, and no audit
 * snapshot carries even those.
 */

function nullableTime(value: number | null): number | null {
  return value === null ? null : Number(value);
}

function tokenFromRow(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    tokenId: row.token_id,
    userId: row.user_id,
    name: row.name,
    workspace: row.workspace,
    createdTime: Number(row.created_time),
    expiresTime: nullableTime(row.expires_time),
    lastUsedTime: nullableTime(row.last_used_time),
    revokedTime: nullableTime(row.revoked_time),
  };
}

function sessionFromRow(row: Selectable<SessionsTable>): Session {
  return {
    sessionId: row.session_id,
    userId: row.user_id,
    secretHash: row.secret_hash,
    createdTime: Number(row.created_time),
    expiresTime: Number(row.expires_time),
    lastSeenTime: Number(row.last_seen_time),
  };
}

/** What the audit trail keeps of a session: never its secret's hash. */
function sessionSnapshot(session: Session): Record<string, unknown> {
  return {
    sessionId: session.sessionId,
    userId: session.userId,
    createdTime: session.createdTime,
    expiresTime: session.expiresTime,
  };
}

// API tokens

/** A new token for an existing user (and, when limited to one, an existing workspace). */
export async function createToken(
  source: SqlSource,
  input: {
    userId: string;
    name: string;
    workspace: string | null;
    secretHash: string;
    expiresTime: number | null;
    now: number;
  },
  stamp: AuditStamp,
): Promise<ApiToken> {
  const token: ApiToken = {
    tokenId: newUlid(input.now),
    userId: input.userId,
    name: input.name,
    workspace: input.workspace,
    createdTime: input.now,
    expiresTime: input.expiresTime,
    lastUsedTime: null,
    revokedTime: null,
  };
  await inTransaction(source, async (trx) => {
    const user = await requireUser(trx, source.caps, input.userId, 'share');
    if (input.workspace !== null) await requireWorkspace(trx, source.caps, input.workspace, 'share');
    await trx
      .insertInto('api_tokens')
      .values({
        token_id: token.tokenId,
        user_id: token.userId,
        name: token.name,
        workspace: token.workspace,
        secret_hash: input.secretHash,
        created_time: token.createdTime,
        expires_time: token.expiresTime,
        last_used_time: null,
        revoked_time: null,
      })
      .execute();
    await appendAuditEvent(
      trx,
      {
        action: 'token.create',
        objectType: 'token',
        objectId: token.tokenId,
        workspace: token.workspace,
        before: null,
        after: { ...token, username: user.username },
      },
      stamp,
      input.now,
      source.caps,
    );
  });
  return token;
}

export async function findToken({ db }: SqlSource, tokenId: string): Promise<ApiTokenSecret | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_id', '=', tokenId)
    .executeTakeFirst();
  return row && { ...tokenFromRow(row), secretHash: row.secret_hash };
}

/** A user's tokens, newest first, revoked and expired ones included. */
export async function listTokens({ db }: SqlSource, userId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_time', 'desc')
    .orderBy('token_id', 'desc')
    .execute();
  return rows.map(tokenFromRow);
}

/** Sets the revocation time once: revoking a revoked token changes nothing and writes no event. */
export async function revokeToken(
  source: SqlSource,
  tokenId: string,
  now: number,
  stamp: AuditStamp,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const row = await lockRows(
      trx.selectFrom('api_tokens').selectAll().where('token_id', '=', tokenId),
      source.caps,
      'update',
    ).executeTakeFirst();
    if (!row) throw new KeelError('RESOURCE_DOES_NOT_EXIST', `No API token with id=${tokenId} exists.`);
    const before = tokenFromRow(row);
    if (before.revokedTime !== null) return;
    await trx.updateTable('api_tokens').set({ revoked_time: now }).where('token_id', '=', tokenId).execute();
    await appendAuditEvent(
      trx,
      {
        action: 'token.revoke',
        objectType: 'token',
        objectId: tokenId,
        workspace: before.workspace,
        before,
        after: { ...before, revokedTime: now },
      },
      stamp,
      now,
      source.caps,
    );
  });
}

/** Records use; a time earlier than the one stored (another replica's clock) is ignored. */
export async function touchToken({ db }: SqlSource, tokenId: string, now: number): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_time: now })
    .where('token_id', '=', tokenId)
    .where((eb) => eb.or([eb('last_used_time', 'is', null), eb('last_used_time', '<', now)]))
    .execute();
}

// Sessions

export async function createSession(
  source: SqlSource,
  input: { userId: string; secretHash: string; now: number; expiresTime: number },
  stamp: AuditStamp,
): Promise<Session> {
  const session: Session = {
    sessionId: newUlid(input.now),
    userId: input.userId,
    secretHash: input.secretHash,
    createdTime: input.now,
    expiresTime: input.expiresTime,
    lastSeenTime: input.now,
  };
  await inTransaction(source, async (trx) => {
    await requireUser(trx, source.caps, input.userId, 'share');
    await trx
      .insertInto('sessions')
      .values({
        session_id: session.sessionId,
        user_id: session.userId,
        secret_hash: session.secretHash,
        created_time: session.createdTime,
        expires_time: session.expiresTime,
        last_seen_time: session.lastSeenTime,
      })
      .execute();
    await appendAuditEvent(
      trx,
      {
        action: 'session.login',
        objectType: 'session',
        objectId: session.sessionId,
        workspace: null,
        before: null,
        after: sessionSnapshot(session),
      },
      stamp,
      input.now,
      source.caps,
    );
  });
  return session;
}

export async function findSession({ db }: SqlSource, sessionId: string): Promise<Session | undefined> {
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return row && sessionFromRow(row);
}

/** Records activity and moves the expiry; a time earlier than the one stored is ignored. */
export async function touchSession(
  { db }: SqlSource,
  sessionId: string,
  now: number,
  expiresTime: number,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_time: now, expires_time: expiresTime })
    .where('session_id', '=', sessionId)
    .where('last_seen_time', '<=', now)
    .execute();
}

/** Ends one session (logout); an unknown or already ended session is a no-op without an event. */
export async function deleteSession(
  source: SqlSource,
  sessionId: string,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const removed = await trx
      .deleteFrom('sessions')
      .where('session_id', '=', sessionId)
      .returningAll()
      .executeTakeFirst();
    if (!removed) return;
    await appendAuditEvent(
      trx,
      {
        action: 'session.logout',
        objectType: 'session',
        objectId: sessionId,
        workspace: null,
        before: sessionSnapshot(sessionFromRow(removed)),
        after: null,
      },
      stamp,
      now,
      source.caps,
    );
  });
}

/** Removes every session whose expiry is at or before `now`; returns how many. */
export async function deleteExpiredSessions({ db }: SqlSource, now: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_time', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
