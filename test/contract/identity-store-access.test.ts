import { describe, expect, it } from 'vitest';
import type { PrincipalRef } from '../../src/core/auth/index.js';
import { engines } from '../support/databases.js';
import {
  eventsOf,
  newUser,
  oneEventOf,
  stamp,
  uniqueWorkspace,
  useIdentityStore,
} from './identity-store-fixture.js';
import { expectKeelError, uniqueName } from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SqlIdentityStore: workspaces, roles and object permissions (${engine})`, () => {
    const fixture = useIdentityStore(engine, 'keel_ct_access');

    async function experimentIn(workspace: string): Promise<number> {
      const row = await fixture.sqlDatabase.db
        .insertInto('experiments')
        .values({
          workspace,
          name: uniqueName('exp'),
          artifact_location: 'mlflow-artifacts:/x',
          lifecycle_stage: 'deleted',
          creation_time: 1,
          last_update_time: 1,
          deleted_time: 1,
        })
        .returning('experiment_id')
        .executeTakeFirstOrThrow();
      return Number(row.experiment_id);
    }

    describe('workspaces', () => {
      it('has the default workspace, creates others once, and lists them by name', async () => {
        expect(await fixture.store.findWorkspace('default')).toMatchObject({ name: 'default' });
        const name = uniqueWorkspace();
        const event = await oneEventOf(fixture.sqlDatabase, async () => {
          expect(await fixture.store.createWorkspace({ name, description: 'mine', now: 11 }, stamp)).toEqual({
            name,
            description: 'mine',
            createdTime: 11,
          });
        });
        expect(event).toMatchObject({
          action: 'workspace.create',
          objectType: 'workspace',
          objectId: name,
          workspace: name,
          before: null,
          after: { name, description: 'mine', createdTime: 11 },
        });
        const none = await eventsOf(fixture.sqlDatabase, () =>
          expectKeelError(
            fixture.store.createWorkspace({ name, description: '', now: 12 }, stamp),
            'RESOURCE_ALREADY_EXISTS',
            `Workspace '${name}' already exists.`,
          ),
        );
        expect(none).toEqual([]);
        const names = (await fixture.store.listWorkspaces()).map((w) => w.name);
        expect(names).toContain('default');
        expect(names).toContain(name);
        expect([...names].sort()).toEqual(names);
      });

      it('never deletes the default workspace', async () => {
        const events = await eventsOf(fixture.sqlDatabase, () =>
          expectKeelError(
            fixture.store.deleteWorkspace('default', stamp),
            'INVALID_STATE',
            /'default' workspace cannot be deleted/,
          ),
        );
        expect(events).toEqual([]);
      });

      it('refuses to delete a workspace that holds experiments, deleted ones included', async () => {
        const name = uniqueWorkspace();
        await fixture.store.createWorkspace({ name, description: '', now: 1 }, stamp);
        await experimentIn(name);
        const events = await eventsOf(fixture.sqlDatabase, () =>
          expectKeelError(
            fixture.store.deleteWorkspace(name, stamp),
            'INVALID_STATE',
            new RegExp(`^Workspace '${name}' still holds 1 experiment \\(deleted ones count`),
          ),
        );
        expect(events).toEqual([]);
        expect(await fixture.store.findWorkspace(name)).toBeDefined();
      });

      it('deletes an empty workspace with its role bindings and grants', async () => {
        const { store, sqlDatabase } = fixture;
        const name = uniqueWorkspace();
        const user = await newUser(store);
        await store.createWorkspace({ name, description: 'gone soon', now: 1 }, stamp);
        await store.setRole(name, { type: 'user', id: user.userId }, 'admin', stamp);
        await store.setPermission(
          { type: 'dataset', id: 'd1', workspace: name },
          { type: 'user', id: user.userId },
          'READ',
          stamp,
        );
        const event = await oneEventOf(sqlDatabase, () => store.deleteWorkspace(name, stamp));
        expect(event).toMatchObject({
          action: 'workspace.delete',
          objectId: name,
          workspace: name,
          before: { name, description: 'gone soon' },
          after: null,
        });
        expect(await store.findWorkspace(name)).toBeUndefined();
        expect(await store.rolesOf(user.userId, [])).toEqual([]);
        expect(await store.permissionsOf(user.userId, [])).toEqual([]);
        await expectKeelError(
          store.deleteWorkspace(name, stamp),
          'RESOURCE_DOES_NOT_EXIST',
          `Workspace '${name}' not found.`,
        );
      });
    });

    describe('roles', () => {
      it('grants, replaces and revokes roles, each with its event', async () => {
        const { store, sqlDatabase } = fixture;
        const workspace = uniqueWorkspace();
        await store.createWorkspace({ name: workspace, description: '', now: 1 }, stamp);
        const user = await newUser(store);
        const principal: PrincipalRef = { type: 'user', id: user.userId };
        const who = { principalType: 'user', principalId: user.userId, principalName: user.username };

        const granted = await oneEventOf(sqlDatabase, () =>
          store.setRole(workspace, principal, 'reader', stamp),
        );
        expect(granted).toMatchObject({
          action: 'role.grant',
          objectType: 'workspace',
          objectId: workspace,
          workspace,
          before: null,
          after: { ...who, role: 'reader' },
        });
        const replaced = await oneEventOf(sqlDatabase, () =>
          store.setRole(workspace, principal, 'editor', stamp),
        );
        expect(replaced).toMatchObject({
          before: { ...who, role: 'reader' },
          after: { ...who, role: 'editor' },
        });
        expect(
          await eventsOf(sqlDatabase, () => store.setRole(workspace, principal, 'editor', stamp)),
        ).toEqual([]);
        expect(await store.listRoles({ workspace })).toEqual([
          { workspace, principal, principalName: user.username, role: 'editor' },
        ]);

        const revoked = await oneEventOf(sqlDatabase, () => store.removeRole(workspace, principal, stamp));
        expect(revoked).toMatchObject({
          action: 'role.revoke',
          before: { ...who, role: 'editor' },
          after: null,
        });
        expect(await store.listRoles({ workspace })).toEqual([]);
        const none = await eventsOf(sqlDatabase, () =>
          expectKeelError(
            store.removeRole(workspace, principal, stamp),
            'RESOURCE_DOES_NOT_EXIST',
            `User '${user.username}' holds no role in workspace '${workspace}'.`,
          ),
        );
        expect(none).toEqual([]);
      });

      it('refuses roles in unknown workspaces and for unknown principals', async () => {
        const user = await newUser(fixture.store);
        const ghost = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
        const events = await eventsOf(fixture.sqlDatabase, async () => {
          await expectKeelError(
            fixture.store.setRole('no-such-ws', { type: 'user', id: user.userId }, 'reader', stamp),
            'RESOURCE_DOES_NOT_EXIST',
            "Workspace 'no-such-ws' not found.",
          );
          await expectKeelError(
            fixture.store.setRole('default', { type: 'group', id: ghost }, 'reader', stamp),
            'RESOURCE_DOES_NOT_EXIST',
            `No group with id=${ghost} exists.`,
          );
        });
        expect(events).toEqual([]);
      });

      it("lists a principal's bindings, and a user's roles with their groups'", async () => {
        const { store } = fixture;
        const [a, b] = [uniqueWorkspace(), uniqueWorkspace()].sort() as [string, string];
        for (const name of [a, b]) await store.createWorkspace({ name, description: '', now: 1 }, stamp);
        const user = await newUser(store);
        const group = await store.createGroup({ name: uniqueName('g'), description: '', now: 1 }, stamp);
        const otherGroup = await store.createGroup({ name: uniqueName('g'), description: '', now: 1 }, stamp);
        await store.setRole(b, { type: 'user', id: user.userId }, 'reader', stamp);
        await store.setRole(a, { type: 'user', id: user.userId }, 'editor', stamp);
        await store.setRole(b, { type: 'group', id: group.groupId }, 'manager', stamp);
        await store.setRole(a, { type: 'group', id: otherGroup.groupId }, 'admin', stamp);

        expect(
          (await store.listRoles({ principal: { type: 'user', id: user.userId } })).map((r) => r.workspace),
        ).toEqual([a, b]);
        expect(await store.listRoles({ workspace: b })).toEqual(
          [
            {
              workspace: b,
              principal: { type: 'user', id: user.userId },
              principalName: user.username,
              role: 'reader',
            },
            {
              workspace: b,
              principal: { type: 'group', id: group.groupId },
              principalName: group.name,
              role: 'manager',
            },
          ].sort((x, y) => (x.principalName < y.principalName ? -1 : 1)),
        );
        const roles = await store.rolesOf(user.userId, [group.groupId]);
        expect(roles).toHaveLength(3);
        expect(roles).toEqual(
          expect.arrayContaining([
            { workspace: a, role: 'editor' },
            { workspace: b, role: 'reader' },
            { workspace: b, role: 'manager' },
          ]),
        );
        expect(await store.rolesOf(user.userId, [])).toHaveLength(2);
      });
    });

    describe('object permissions', () => {
      it('grants, replaces, lists and revokes permissions, each with its event', async () => {
        const { store, sqlDatabase } = fixture;
        const user = await newUser(store, { username: uniqueName('b-user') });
        const group = await store.createGroup(
          { name: uniqueName('a-group'), description: '', now: 1 },
          stamp,
        );
        const object = { type: 'experiment' as const, id: '42', workspace: 'default' };
        const asUser: PrincipalRef = { type: 'user', id: user.userId };
        const asGroup: PrincipalRef = { type: 'group', id: group.groupId };
        const who = { principalType: 'user', principalId: user.userId, principalName: user.username };

        const granted = await oneEventOf(sqlDatabase, () =>
          store.setPermission(object, asUser, 'READ', stamp),
        );
        expect(granted).toMatchObject({
          action: 'permission.grant',
          objectType: 'experiment',
          objectId: '42',
          workspace: 'default',
          before: null,
          after: { ...who, permission: 'READ' },
        });
        const replaced = await oneEventOf(sqlDatabase, () =>
          store.setPermission(object, asUser, 'MANAGE', stamp),
        );
        expect(replaced).toMatchObject({
          before: { ...who, permission: 'READ' },
          after: { ...who, permission: 'MANAGE' },
        });
        expect(
          await eventsOf(sqlDatabase, () => store.setPermission(object, asUser, 'MANAGE', stamp)),
        ).toEqual([]);
        await store.setPermission(object, asGroup, 'NO_PERMISSIONS', stamp);
        await store.setPermission({ ...object, id: '43' }, asGroup, 'EDIT', stamp);

        expect(await store.listPermissions(object)).toEqual([
          {
            objectType: 'experiment',
            objectId: '42',
            principal: asGroup,
            principalName: group.name,
            permission: 'NO_PERMISSIONS',
          },
          {
            objectType: 'experiment',
            objectId: '42',
            principal: asUser,
            principalName: user.username,
            permission: 'MANAGE',
          },
        ]);
        expect(await store.permissionsOf(user.userId, [group.groupId])).toEqual(
          expect.arrayContaining([
            { objectType: 'experiment', objectId: '42', principal: asUser, permission: 'MANAGE' },
            { objectType: 'experiment', objectId: '42', principal: asGroup, permission: 'NO_PERMISSIONS' },
            { objectType: 'experiment', objectId: '43', principal: asGroup, permission: 'EDIT' },
          ]),
        );
        expect(await store.permissionsOf(user.userId, [group.groupId])).toHaveLength(3);
        expect(await store.permissionsOf(user.userId, [])).toHaveLength(1);

        const revoked = await oneEventOf(sqlDatabase, () => store.removePermission(object, asUser, stamp));
        expect(revoked).toMatchObject({
          action: 'permission.revoke',
          before: { ...who, permission: 'MANAGE' },
          after: null,
        });
        const none = await eventsOf(sqlDatabase, () =>
          expectKeelError(
            store.removePermission(object, asUser, stamp),
            'RESOURCE_DOES_NOT_EXIST',
            `User '${user.username}' holds no permission on experiment 42.`,
          ),
        );
        expect(none).toEqual([]);
      });

      it('reads the grants of many groups at once', async () => {
        const user = await newUser(fixture.store);
        const groupIds = Array.from({ length: 300 }, (_, i) => `not-a-group-${i}`);
        const group = await fixture.store.createGroup(
          { name: uniqueName('g'), description: '', now: 1 },
          stamp,
        );
        await fixture.store.setPermission(
          { type: 'registered_model', id: 'm', workspace: 'default' },
          { type: 'group', id: group.groupId },
          'READ',
          stamp,
        );
        const grants = await fixture.store.permissionsOf(user.userId, [
          ...groupIds,
          group.groupId,
          group.groupId,
        ]);
        expect(grants).toEqual([
          {
            objectType: 'registered_model',
            objectId: 'm',
            principal: { type: 'group', id: group.groupId },
            permission: 'READ',
          },
        ]);
      });
    });
  });
}
