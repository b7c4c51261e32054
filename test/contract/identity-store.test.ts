import { describe, expect, it } from 'vitest';
import type { PrincipalRef } from '../../src/core/auth/index.js';
import { engines } from '../support/databases.js';
import {
  eventsOf,
  fakeHash,
  newUser,
  oneEventOf,
  secretKeys,
  stamp,
  ulidPattern,
  uniqueWorkspace,
  useIdentityStore,
} from './identity-store-fixture.js';
import { expectKeelError, uniqueName } from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SqlIdentityStore: users and groups (${engine})`, () => {
    const fixture = useIdentityStore(engine, 'keel_ct_identity');

    describe('users', () => {
      it('creates a user with a ULID id and writes user.create without the password hash', async () => {
        const hash = fakeHash('create');
        const username = uniqueName('Ada');
        let userId = '';
        const event = await oneEventOf(fixture.sqlDatabase, async () => {
          const user = await fixture.store.createUser(
            { username, displayName: 'Ada L', kind: 'user', isAdmin: true, passwordHash: hash, now: 5_000 },
            stamp,
          );
          userId = user.userId;
          expect(user).toEqual({
            userId: expect.stringMatching(ulidPattern),
            username,
            displayName: 'Ada L',
            kind: 'user',
            isAdmin: true,
            disabled: false,
            createdTime: 5_000,
            lastUpdateTime: 5_000,
            credentialsChangedTime: 5_000,
          });
        });
        expect(event).toMatchObject({
          action: 'user.create',
          objectType: 'user',
          objectId: userId,
          workspace: null,
          time: 5_000,
          before: null,
          after: { userId, username, displayName: 'Ada L', kind: 'user', isAdmin: true, disabled: false },
        });
        expect(event.raw).not.toContain(hash);
        expect(event.raw).not.toMatch(secretKeys);
        const stored = await fixture.store.findUserById(userId);
        expect(stored?.passwordHash).toBe(hash);
      });

      it('finds users by name case-insensitively and refuses a username taken in another case', async () => {
        const username = uniqueName('Grace');
        const user = await newUser(fixture.store, { username });
        expect((await fixture.store.findUserByName(username.toUpperCase()))?.userId).toBe(user.userId);
        expect((await fixture.store.findUserByName(username.toLowerCase()))?.username).toBe(username);
        expect(await fixture.store.findUserByName(`${username}-nobody`)).toBeUndefined();
        expect(await fixture.store.findUserById('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeUndefined();

        const events = await eventsOf(fixture.sqlDatabase, () =>
          expectKeelError(
            newUser(fixture.store, { username: username.toLowerCase() }),
            'RESOURCE_ALREADY_EXISTS',
            `User '${username.toLowerCase()}' already exists.`,
          ),
        );
        expect(events).toEqual([]);
      });

      it('lets exactly one of two concurrent creations of a username win', async () => {
        const username = uniqueName('Race');
        const events = await eventsOf(fixture.sqlDatabase, async () => {
          const results = await Promise.allSettled([
            newUser(fixture.store, { username }),
            newUser(fixture.store, { username: username.toUpperCase() }),
          ]);
          expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
          const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
          expect(failure.reason).toMatchObject({ code: 'RESOURCE_ALREADY_EXISTS' });
        });
        expect(events.map((e) => e.action)).toEqual(['user.create']);
      });

      it('lists users by username in keyset pages', async () => {
        for (const name of ['zed', 'Yan', 'xia', 'Wu', 'vic'])
          await newUser(fixture.store, { username: uniqueName(name) });
        const seen: string[] = [];
        let pageToken: string | undefined;
        do {
          const page = await fixture.store.listUsers({ maxResults: 2, pageToken });
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items.map((u) => u.username));
          pageToken = page.nextPageToken;
        } while (pageToken);
        const all = await fixture.store.listUsers({ maxResults: 1000 });
        expect(all.nextPageToken).toBeUndefined();
        expect(seen).toEqual(all.items.map((u) => u.username));
        expect(seen.length).toBeGreaterThanOrEqual(5);
        const keys = seen.map((u) => u.toLowerCase());
        expect([...keys].sort()).toEqual(keys);
        expect(new Set(keys).size).toBe(keys.length);
      });

      it('refuses a bad page size or page token', async () => {
        await expectKeelError(fixture.store.listUsers({ maxResults: 0 }), 'INVALID_PARAMETER_VALUE');
        await expectKeelError(fixture.store.listUsers({ maxResults: 1001 }), 'INVALID_PARAMETER_VALUE');
        await expectKeelError(
          fixture.store.listUsers({ maxResults: 10, pageToken: 'not-a-token' }),
          'INVALID_PARAMETER_VALUE',
          /^Invalid page token/,
        );
      });

      it('updates the display name without touching credentials', async () => {
        const user = await newUser(fixture.store, { now: 1_000 });
        const event = await oneEventOf(fixture.sqlDatabase, async () => {
          const updated = await fixture.store.updateUser(
            user.userId,
            { displayName: 'New Name' },
            2_000,
            stamp,
          );
          expect(updated).toMatchObject({
            displayName: 'New Name',
            lastUpdateTime: 2_000,
            credentialsChangedTime: 1_000,
          });
        });
        expect(event).toMatchObject({
          action: 'user.update',
          objectId: user.userId,
          time: 2_000,
          before: { displayName: 'A Person' },
          after: { displayName: 'New Name' },
        });
        expect(await fixture.store.findUserById(user.userId)).toMatchObject({ displayName: 'New Name' });
      });

      it('writes nothing for an update that changes nothing', async () => {
        const user = await newUser(fixture.store);
        const events = await eventsOf(fixture.sqlDatabase, async () => {
          expect(
            await fixture.store.updateUser(
              user.userId,
              { displayName: user.displayName, isAdmin: false },
              9,
              stamp,
            ),
          ).toEqual(user);
        });
        expect(events).toEqual([]);
      });

      it('moves credentialsChangedTime on an admin flag change, and counts active admins', async () => {
        const before = await fixture.store.countActiveAdmins();
        const user = await newUser(fixture.store);
        const event = await oneEventOf(fixture.sqlDatabase, () =>
          fixture.store.updateUser(user.userId, { isAdmin: true }, 3_000, stamp),
        );
        expect(event).toMatchObject({
          action: 'user.update',
          before: { isAdmin: false },
          after: { isAdmin: true },
        });
        expect(await fixture.store.findUserById(user.userId)).toMatchObject({
          isAdmin: true,
          credentialsChangedTime: 3_000,
        });
        expect(await fixture.store.countActiveAdmins()).toBe(before + 1);
        await fixture.store.updateUser(user.userId, { disabled: true }, 4_000, stamp);
        expect(await fixture.store.countActiveAdmins()).toBe(before);
      });

      it('a password change ends the sessions, keeps tokens, and never shows either hash', async () => {
        const oldHash = fakeHash('old');
        const newHash = fakeHash('new');
        const user = await newUser(fixture.store, { passwordHash: oldHash });
        const session = await fixture.store.createSession(
          { userId: user.userId, secretHash: 'a'.repeat(64), now: 1_000, expiresTime: 99_000 },
          stamp,
        );
        const token = await fixture.store.createToken(
          {
            userId: user.userId,
            name: 't',
            workspace: null,
            secretHash: 'b'.repeat(64),
            expiresTime: null,
            now: 1,
          },
          stamp,
        );
        const event = await oneEventOf(fixture.sqlDatabase, () =>
          fixture.store.updateUser(user.userId, { passwordHash: newHash }, 5_000, stamp),
        );
        expect(event).toMatchObject({ action: 'user.password_change', objectId: user.userId });
        expect(event.raw).not.toContain(oldHash);
        expect(event.raw).not.toContain(newHash);
        expect(event.raw).not.toMatch(secretKeys);
        expect(await fixture.store.findSession(session.sessionId)).toBeUndefined();
        expect(await fixture.store.findToken(token.tokenId)).toBeDefined();
        expect(await fixture.store.findUserById(user.userId)).toMatchObject({
          passwordHash: newHash,
          credentialsChangedTime: 5_000,
        });
      });

      it('disabling a user ends their sessions', async () => {
        const user = await newUser(fixture.store);
        const session = await fixture.store.createSession(
          { userId: user.userId, secretHash: 'c'.repeat(64), now: 1_000, expiresTime: 99_000 },
          stamp,
        );
        const event = await oneEventOf(fixture.sqlDatabase, () =>
          fixture.store.updateUser(user.userId, { disabled: true }, 6_000, stamp),
        );
        expect(event).toMatchObject({
          action: 'user.update',
          before: { disabled: false },
          after: { disabled: true },
        });
        expect(await fixture.store.findSession(session.sessionId)).toBeUndefined();
        expect(await fixture.store.findUserById(user.userId)).toMatchObject({
          disabled: true,
          credentialsChangedTime: 6_000,
        });
      });

      it('refuses to update or delete an unknown user, writing nothing', async () => {
        const events = await eventsOf(fixture.sqlDatabase, async () => {
          await expectKeelError(
            fixture.store.updateUser('01ARZ3NDEKTSV4RRFFQ69G5FAV', { displayName: 'x' }, 1, stamp),
            'RESOURCE_DOES_NOT_EXIST',
            'No user with id=01ARZ3NDEKTSV4RRFFQ69G5FAV exists.',
          );
          await expectKeelError(
            fixture.store.deleteUser('01ARZ3NDEKTSV4RRFFQ69G5FAV', stamp),
            'RESOURCE_DOES_NOT_EXIST',
          );
        });
        expect(events).toEqual([]);
      });

      it('deleting a user removes their tokens, sessions, memberships, role bindings and grants', async () => {
        const { store, sqlDatabase } = fixture;
        const user = await newUser(store);
        const other = await newUser(store);
        const workspace = uniqueWorkspace();
        await store.createWorkspace({ name: workspace, description: '', now: 1 }, stamp);
        const group = await store.createGroup({ name: uniqueName('g'), description: '', now: 1 }, stamp);
        await store.addGroupMember(group.groupId, user.userId, stamp);
        await store.addGroupMember(group.groupId, other.userId, stamp);
        const me: PrincipalRef = { type: 'user', id: user.userId };
        await store.setRole(workspace, me, 'editor', stamp);
        await store.setRole(workspace, { type: 'user', id: other.userId }, 'reader', stamp);
        const object = { type: 'experiment' as const, id: '77', workspace };
        await store.setPermission(object, me, 'MANAGE', stamp);
        await store.setPermission(object, { type: 'user', id: other.userId }, 'READ', stamp);
        const token = await store.createToken(
          {
            userId: user.userId,
            name: 't',
            workspace,
            secretHash: 'd'.repeat(64),
            expiresTime: null,
            now: 1,
          },
          stamp,
        );
        const session = await store.createSession(
          { userId: user.userId, secretHash: 'e'.repeat(64), now: 1, expiresTime: 99 },
          stamp,
        );

        const event = await oneEventOf(sqlDatabase, () => store.deleteUser(user.userId, stamp));
        expect(event).toMatchObject({
          action: 'user.delete',
          objectType: 'user',
          objectId: user.userId,
          before: { userId: user.userId, username: user.username },
          after: null,
        });
        expect(event.raw).not.toMatch(secretKeys);
        expect(await store.findUserById(user.userId)).toBeUndefined();
        expect(await store.findToken(token.tokenId)).toBeUndefined();
        expect(await store.findSession(session.sessionId)).toBeUndefined();
        expect((await store.listGroupMembers(group.groupId)).map((u) => u.userId)).toEqual([other.userId]);
        expect(await store.listRoles({ principal: me })).toEqual([]);
        expect(await store.permissionsOf(user.userId, [])).toEqual([]);
        expect((await store.listRoles({ workspace })).map((b) => b.principal.id)).toEqual([other.userId]);
        expect((await store.listPermissions(object)).map((p) => p.principal.id)).toEqual([other.userId]);
      });
    });

    describe('groups', () => {
      it('creates groups with case-insensitive unique names and lists them by name', async () => {
        const name = uniqueName('Team');
        let groupId = '';
        const event = await oneEventOf(fixture.sqlDatabase, async () => {
          const group = await fixture.store.createGroup({ name, description: 'the team', now: 7 }, stamp);
          groupId = group.groupId;
          expect(group).toEqual({
            groupId: expect.stringMatching(ulidPattern),
            name,
            description: 'the team',
            createdTime: 7,
          });
        });
        expect(event).toMatchObject({
          action: 'group.create',
          objectType: 'group',
          objectId: groupId,
          before: null,
          after: { groupId, name, description: 'the team' },
        });
        expect((await fixture.store.findGroupByName(name.toUpperCase()))?.groupId).toBe(groupId);
        expect(await fixture.store.findGroupByName(`${name}-none`)).toBeUndefined();
        const events = await eventsOf(fixture.sqlDatabase, () =>
          expectKeelError(
            fixture.store.createGroup({ name: name.toLowerCase(), description: '', now: 8 }, stamp),
            'RESOURCE_ALREADY_EXISTS',
            `Group '${name.toLowerCase()}' already exists.`,
          ),
        );
        expect(events).toEqual([]);
        const names = (await fixture.store.listGroups()).map((g) => g.name.toLowerCase());
        expect(names).toContain(name.toLowerCase());
        expect([...names].sort()).toEqual(names);
      });

      it('adds members once, removes them, and lists them by username', async () => {
        const { store, sqlDatabase } = fixture;
        const group = await store.createGroup({ name: uniqueName('g'), description: '', now: 1 }, stamp);
        const bob = await newUser(store, { username: uniqueName('bob') });
        const amy = await newUser(store, { username: uniqueName('amy') });
        const added = await oneEventOf(sqlDatabase, () =>
          store.addGroupMember(group.groupId, bob.userId, stamp),
        );
        expect(added).toMatchObject({
          action: 'group.member_add',
          objectType: 'group',
          objectId: group.groupId,
          before: null,
          after: {
            groupId: group.groupId,
            groupName: group.name,
            userId: bob.userId,
            username: bob.username,
          },
        });
        expect(
          await eventsOf(sqlDatabase, () => store.addGroupMember(group.groupId, bob.userId, stamp)),
        ).toEqual([]);
        await store.addGroupMember(group.groupId, amy.userId, stamp);
        expect((await store.listGroupMembers(group.groupId)).map((u) => u.username)).toEqual([
          amy.username,
          bob.username,
        ]);
        expect(await store.groupIdsOf(bob.userId)).toEqual([group.groupId]);

        const removed = await oneEventOf(sqlDatabase, () =>
          store.removeGroupMember(group.groupId, bob.userId, stamp),
        );
        expect(removed).toMatchObject({
          action: 'group.member_remove',
          before: { userId: bob.userId },
          after: null,
        });
        expect(await store.groupIdsOf(bob.userId)).toEqual([]);
        const none = await eventsOf(sqlDatabase, () =>
          expectKeelError(
            store.removeGroupMember(group.groupId, bob.userId, stamp),
            'RESOURCE_DOES_NOT_EXIST',
            `User '${bob.username}' is not a member of group '${group.name}'.`,
          ),
        );
        expect(none).toEqual([]);
      });

      it('refuses members of unknown groups and unknown users as members', async () => {
        const user = await newUser(fixture.store);
        const group = await fixture.store.createGroup(
          { name: uniqueName('g'), description: '', now: 1 },
          stamp,
        );
        const ghost = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
        await expectKeelError(
          fixture.store.addGroupMember(ghost, user.userId, stamp),
          'RESOURCE_DOES_NOT_EXIST',
          `No group with id=${ghost} exists.`,
        );
        await expectKeelError(
          fixture.store.addGroupMember(group.groupId, ghost, stamp),
          'RESOURCE_DOES_NOT_EXIST',
          `No user with id=${ghost} exists.`,
        );
        await expectKeelError(fixture.store.listGroupMembers(ghost), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('deleting a group removes memberships, role bindings and grants, but not the members', async () => {
        const { store, sqlDatabase } = fixture;
        const user = await newUser(store);
        const group = await store.createGroup({ name: uniqueName('g'), description: 'd', now: 1 }, stamp);
        const workspace = uniqueWorkspace();
        await store.createWorkspace({ name: workspace, description: '', now: 1 }, stamp);
        await store.addGroupMember(group.groupId, user.userId, stamp);
        const asGroup: PrincipalRef = { type: 'group', id: group.groupId };
        await store.setRole(workspace, asGroup, 'manager', stamp);
        await store.setPermission({ type: 'experiment', id: '5', workspace }, asGroup, 'EDIT', stamp);

        const event = await oneEventOf(sqlDatabase, () => store.deleteGroup(group.groupId, stamp));
        expect(event).toMatchObject({
          action: 'group.delete',
          objectId: group.groupId,
          before: { groupId: group.groupId, name: group.name, description: 'd' },
          after: null,
        });
        expect(await store.findGroupByName(group.name)).toBeUndefined();
        expect(await store.groupIdsOf(user.userId)).toEqual([]);
        expect(await store.findUserById(user.userId)).toBeDefined();
        expect(await store.listRoles({ principal: asGroup })).toEqual([]);
        expect(await store.permissionsOf(user.userId, [group.groupId])).toEqual([]);
        await expectKeelError(store.deleteGroup(group.groupId, stamp), 'RESOURCE_DOES_NOT_EXIST');
      });
    });
  });
}
