import { describe, expect, it } from 'vitest';
import type { User } from '../../src/core/auth/index.js';
import type { SqlIdentityStore } from '../../src/backends/sql/index.js';
import { isKeelError } from '../../src/core/errors.js';
import { engines } from '../support/databases.js';
import { eventsOf, newUser, stamp, useIdentityStore } from './identity-store-fixture.js';
import { expectKeelError } from './sql-store-fixture.js';

type Removal = 'demote' | 'disable' | 'delete';

function remove(store: SqlIdentityStore, user: User, how: Removal): Promise<unknown> {
  if (how === 'delete') return store.deleteUser(user.userId, stamp);
  return store.updateUser(
    user.userId,
    how === 'demote' ? { isAdmin: false } : { disabled: true },
    9_000,
    stamp,
  );
}

for (const engine of engines) {
  // A database of its own: the rule is about every administrator there is.
  describe(`SqlIdentityStore: the last active site administrator (${engine})`, () => {
    const fixture = useIdentityStore(engine, 'keel_ct_last_admin');

    it('can be neither demoted, disabled nor deleted, and the refusal writes nothing', async () => {
      const only = await newUser(fixture.store, { isAdmin: true });
      const events = await eventsOf(fixture.sqlDatabase, async () => {
        await expectKeelError(
          remove(fixture.store, only, 'demote'),
          'INVALID_STATE',
          `'${only.username}' is the last active site administrator: make another user an administrator before demoting them.`,
        );
        await expectKeelError(remove(fixture.store, only, 'disable'), 'INVALID_STATE', /before disabling/);
        await expectKeelError(remove(fixture.store, only, 'delete'), 'INVALID_STATE', /before deleting/);
      });
      expect(events).toEqual([]);
      expect(await fixture.store.findUserById(only.userId)).toMatchObject({ isAdmin: true, disabled: false });
      // A disabled administrator does not count; another active one does.
      const disabled = await newUser(fixture.store, { isAdmin: true });
      await fixture.store.updateUser(disabled.userId, { disabled: true }, 9_000, stamp);
      await expectKeelError(remove(fixture.store, only, 'demote'), 'INVALID_STATE');
      const other = await newUser(fixture.store, { isAdmin: true });
      await remove(fixture.store, only, 'demote');
      expect(await fixture.store.countActiveAdmins()).toBe(1);
      await expectKeelError(remove(fixture.store, other, 'delete'), 'INVALID_STATE');
    });

    it('survives two administrators being removed at the same moment: exactly one removal wins', async () => {
      const removals: [Removal, Removal][] = [
        ['demote', 'demote'],
        ['disable', 'delete'],
        ['delete', 'demote'],
        ['disable', 'disable'],
        ['delete', 'delete'],
      ];
      for (const [first, second] of removals) {
        // Exactly two active administrators: the survivor of the previous round and a new one.
        const active = await fixture.sqlDatabase.db
          .selectFrom('users')
          .select('user_id')
          .where('is_admin', '=', 1)
          .where('disabled', '=', 0)
          .execute();
        expect(active).toHaveLength(1);
        const survivor = (await fixture.store.findUserById(active[0]!.user_id))!;
        const newcomer = await newUser(fixture.store, { isAdmin: true });
        const outcomes = await Promise.allSettled([
          remove(fixture.store, survivor, first),
          remove(fixture.store, newcomer, second),
        ]);
        const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(refused, `${first} + ${second}`).toHaveLength(1);
        const reason = (refused[0] as PromiseRejectedResult).reason;
        expect(isKeelError(reason) && reason.code === 'INVALID_STATE', String(reason)).toBe(true);
        expect(await fixture.store.countActiveAdmins()).toBe(1);
      }
    });
  });
}
