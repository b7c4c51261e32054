import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditQuery, AuditRecord, AuditStamp } from '../../src/core/audit/index.js';
import { SqlAuditStore } from '../../src/backends/sql/index.js';
import { appendAuditEvent } from '../../src/backends/sql/sql-audit.js';
import { inTransaction } from '../../src/backends/sql/sql-transaction.js';
import { engines } from '../support/databases.js';
import { expectKeelError, uniqueName, useSqlStore } from './sql-store-fixture.js';

type Seed = Partial<AuditRecord> & { actorName?: string; time: number };

for (const engine of engines) {
  describe(`SqlAuditStore (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_audit');
    let audit: SqlAuditStore;
    // Each test works in its own workspace, so events of other tests never match.
    let workspace = '';

    beforeAll(() => {
      audit = new SqlAuditStore(fixture.sqlDatabase);
    });

    async function seed(events: Seed[]): Promise<void> {
      workspace = uniqueName('ws').toLowerCase();
      await inTransaction(fixture.sqlDatabase, async (trx) => {
        for (const e of events) {
          const stamp: AuditStamp = {
            actorId: null,
            actorName: e.actorName ?? 'alice',
            requestId: 'r',
            ip: '::1',
          };
          await appendAuditEvent(
            trx,
            {
              action: e.action ?? 'run.create',
              objectType: e.objectType ?? 'run',
              objectId: e.objectId ?? 'r1',
              workspace: e.workspace === undefined ? workspace : e.workspace,
              before: e.before,
              after: e.after,
            },
            stamp,
            e.time,
          );
        }
      });
    }

    function query(q: Partial<AuditQuery> = {}): Promise<{ items: AuditEvent[]; nextPageToken?: string }> {
      return audit.queryAuditEvents({ workspace, maxResults: 1000, ...q });
    }

    async function times(q: Partial<AuditQuery> = {}): Promise<number[]> {
      return (await query(q)).items.map((e) => e.time);
    }

    it('returns events newest first with every field, before and after as stored JSON', async () => {
      await seed([
        {
          time: 1,
          action: 'experiment.create',
          objectType: 'experiment',
          objectId: '7',
          after: { name: 'x', n: 1 },
        },
        {
          time: 2,
          action: 'experiment.rename',
          objectType: 'experiment',
          objectId: '7',
          before: { name: 'x' },
          after: { name: 'y' },
        },
      ]);
      const { items, nextPageToken } = await query();
      expect(nextPageToken).toBeUndefined();
      expect(items).toEqual([
        {
          eventId: expect.stringMatching(/^[0-9]+$/),
          time: 2,
          actorId: null,
          actorName: 'alice',
          action: 'experiment.rename',
          objectType: 'experiment',
          objectId: '7',
          workspace,
          before: { name: 'x' },
          after: { name: 'y' },
          requestId: 'r',
          ip: '::1',
        },
        expect.objectContaining({
          time: 1,
          action: 'experiment.create',
          before: null,
          after: { name: 'x', n: 1 },
        }),
      ]);
      expect(Number(items[0]!.eventId)).toBeGreaterThan(Number(items[1]!.eventId));
    });

    it('stores events without a workspace, a request id or an ip', async () => {
      const objectId = uniqueName('user');
      await inTransaction(fixture.sqlDatabase, (trx) =>
        appendAuditEvent(
          trx,
          {
            action: 'user.create',
            objectType: 'user',
            objectId,
            workspace: null,
            before: undefined,
            after: { a: 1 },
          },
          { actorId: 'u1', actorName: 'system' },
          42,
        ),
      );
      const { items } = await audit.queryAuditEvents({ objectType: 'user', objectId, maxResults: 10 });
      expect(items).toEqual([
        expect.objectContaining({
          workspace: null,
          requestId: null,
          ip: null,
          actorId: 'u1',
          before: null,
          after: { a: 1 },
        }),
      ]);
    });

    it('filters by actor, object type, object id and workspace', async () => {
      await seed([
        { time: 1, actorName: 'alice', objectType: 'run', objectId: 'r1' },
        { time: 2, actorName: 'bob', objectType: 'run', objectId: 'r2' },
        {
          time: 3,
          actorName: 'alice',
          action: 'experiment.delete',
          objectType: 'experiment',
          objectId: 'r1',
        },
        { time: 4, actorName: 'alice', objectType: 'run', objectId: 'r1', workspace: null },
      ]);
      expect(await times({ actorName: 'alice' })).toEqual([3, 1]);
      expect(await times({ actorName: 'bob' })).toEqual([2]);
      expect(await times({ objectType: 'run' })).toEqual([2, 1]);
      expect(await times({ objectType: 'run', objectId: 'r1' })).toEqual([1]);
      expect(await times({ objectId: 'r1' })).toEqual([3, 1]);
      expect(await times({ actorName: 'nobody' })).toEqual([]);
      expect(await times({ workspace: uniqueName('none') })).toEqual([]);
    });

    it('takes an exact action, or a prefix ending in "." that never acts as a pattern', async () => {
      await seed([
        { time: 1, action: 'run.create' },
        { time: 2, action: 'run.delete' },
        { time: 3, action: 'runs.create' as AuditRecord['action'] },
        { time: 4, action: 'run_create' as AuditRecord['action'] },
        { time: 5, action: 'rUn.update' as AuditRecord['action'] },
        { time: 6, action: 'experiment.create', objectType: 'experiment' },
        { time: 7, action: 'run/x' as AuditRecord['action'] },
      ]);
      expect(await times({ action: 'run.delete' })).toEqual([2]);
      expect(await times({ action: 'run.' })).toEqual([2, 1]);
      expect(await times({ action: 'experiment.' })).toEqual([6]);
      expect(await times({ action: 'run' })).toEqual([]);
      expect(await times({ action: '%.' })).toEqual([]);
      expect(await times({ action: 'r_n.' })).toEqual([]);
      expect(await times({ action: 'run%' })).toEqual([]);
      expect(await times({ action: '.' })).toEqual([]);
    });

    it('bounds time: since inclusive, until exclusive', async () => {
      await seed([{ time: 100 }, { time: 200 }, { time: 300 }, { time: 400 }]);
      expect(await times({ since: 200 })).toEqual([400, 300, 200]);
      expect(await times({ until: 300 })).toEqual([200, 100]);
      expect(await times({ since: 200, until: 400 })).toEqual([300, 200]);
      expect(await times({ since: 400, until: 400 })).toEqual([]);
    });

    it('pages by event id: no repeats, no gaps, and events written meanwhile do not shift pages', async () => {
      await seed(Array.from({ length: 7 }, (_, i) => ({ time: i + 1 })));
      const pages: number[][] = [];
      let pageToken: string | undefined;
      do {
        const page = await query({ maxResults: 3, pageToken });
        pages.push(page.items.map((e) => e.time));
        pageToken = page.nextPageToken;
        if (pages.length === 1) {
          // A newer event arrives between pages: it belongs before page one, not in page two.
          await inTransaction(fixture.sqlDatabase, (trx) =>
            appendAuditEvent(
              trx,
              {
                action: 'run.create',
                objectType: 'run',
                objectId: 'late',
                workspace,
                before: null,
                after: null,
              },
              { actorId: null, actorName: 'alice' },
              99,
            ),
          );
        }
      } while (pageToken);
      expect(pages).toEqual([[7, 6, 5], [4, 3, 2], [1]]);
      const exact = await query({ maxResults: 8 });
      expect(exact.items).toHaveLength(8);
      expect(exact.nextPageToken).toBeUndefined();
    });

    it('refuses a bad page size, a malformed token and a token from another query', async () => {
      await seed([{ time: 1 }, { time: 2 }]);
      await expectKeelError(query({ maxResults: 0 }), 'INVALID_PARAMETER_VALUE', /1 to 1000 events/);
      await expectKeelError(query({ maxResults: 1001 }), 'INVALID_PARAMETER_VALUE');
      await expectKeelError(query({ maxResults: 1.5 }), 'INVALID_PARAMETER_VALUE');
      await expectKeelError(
        query({ pageToken: 'garbage' }),
        'INVALID_PARAMETER_VALUE',
        /^Invalid page token/,
      );
      const { nextPageToken } = await query({ maxResults: 1 });
      expect(nextPageToken).toBeDefined();
      await expectKeelError(
        query({ maxResults: 1, pageToken: nextPageToken, actorName: 'alice' }),
        'INVALID_PARAMETER_VALUE',
        /belongs to a different query/,
      );
      expect((await query({ maxResults: 1, pageToken: nextPageToken })).items.map((e) => e.time)).toEqual([
        1,
      ]);
    });
  });
}
