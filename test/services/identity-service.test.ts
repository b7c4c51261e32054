import { describe, expect, test } from 'vitest';
import { unauthenticatedCaller } from '../../src/core/auth/index.js';
import { engines } from '../support/databases.js';
import { expectKeelError, uniqueName } from '../contract/sql-store-fixture.js';
import {
  adminPassword,
  basic,
  callerOf,
  newUser,
  newWorkspace,
  passwordOf,
  useServices,
} from './service-fixture.js';

describe.each(engines)('identity administration on %s', (engine) => {
  const s = useServices(engine, 'svc_identity');

  describe('users', () => {
    test('only site administrators create users; the hash never leaves the service', async () => {
      const reader = callerOf(await newUser(s, { role: 'reader' }));
      const username = uniqueName('new');
      await expectKeelError(
        s.identity.createUser(reader, { username, password: 'long enough password' }),
        'PERMISSION_DENIED',
        `Permission denied: ${reader.user!.username} is not a site administrator.`,
      );
      const user = await s.identity.createUser(s.admin, {
        username,
        password: 'long enough password',
        displayName: 'New',
      });
      expect(user).toMatchObject({
        username,
        displayName: 'New',
        kind: 'user',
        isAdmin: false,
        disabled: false,
      });
      expect(user).not.toHaveProperty('passwordHash');
      await expectKeelError(
        s.identity.createUser(s.admin, {
          username: username.toUpperCase(),
          password: 'long enough password',
        }),
        'RESOURCE_ALREADY_EXISTS',
      );
      const events = await s.audit.query(s.admin, { objectType: 'user', objectId: user.userId });
      expect(events.items[0]).toMatchObject({ action: 'user.create', actorName: s.admin.user!.username });
      expect(JSON.stringify(events.items)).not.toMatch(/scrypt|passwordHash|password_hash/);
    });

    test('bad input is refused with a clear error', async () => {
      const cases = [
        { username: "x'; drop table users;--", password: 'long enough password' },
        { username: uniqueName('short'), password: 'short' },
        { username: uniqueName('nopass') },
        { username: uniqueName('robot'), kind: 'service_account' as const, password: 'long enough password' },
        { username: uniqueName('kind'), kind: 'wizard' as never, password: 'long enough password' },
      ];
      for (const input of cases)
        await expectKeelError(s.identity.createUser(s.admin, input), 'INVALID_PARAMETER_VALUE');
    });

    test('a user reads and renames themself, but reads nobody else (not even whether they exist)', async () => {
      const user = await newUser(s);
      const other = await newUser(s);
      const self = callerOf(user);
      expect((await s.identity.getUser(self, user.username)).userId).toBe(user.userId);
      await expectKeelError(s.identity.getUser(self, other.username), 'PERMISSION_DENIED');
      await expectKeelError(s.identity.getUser(self, uniqueName('ghost')), 'PERMISSION_DENIED');
      await expectKeelError(s.identity.getUser(s.admin, uniqueName('ghost')), 'RESOURCE_DOES_NOT_EXIST');
      expect((await s.identity.updateUser(self, user.username, { displayName: 'Me' })).displayName).toBe(
        'Me',
      );
      await expectKeelError(
        s.identity.updateUser(self, user.username, { isAdmin: true }),
        'PERMISSION_DENIED',
      );
      await expectKeelError(
        s.identity.updateUser(self, other.username, { displayName: 'You' }),
        'PERMISSION_DENIED',
      );
      await expectKeelError(s.identity.listUsers(self, {}), 'PERMISSION_DENIED');
    });

    test('listing users pages by username', async () => {
      const first = await s.identity.listUsers(s.admin, { maxResults: 1 });
      expect(first.items).toHaveLength(1);
      expect(first.nextPageToken).toBeDefined();
      const second = await s.identity.listUsers(s.admin, { maxResults: 1, pageToken: first.nextPageToken });
      expect(second.items[0]!.username > first.items[0]!.username).toBe(true);
      await expectKeelError(s.identity.listUsers(s.admin, { maxResults: 0 }), 'INVALID_PARAMETER_VALUE');
    });

    test('passwords: one’s own needs the current one; an administrator resets anyone’s', async () => {
      const user = await newUser(s);
      const self = callerOf(user);
      await expectKeelError(
        s.identity.changePassword(self, user.username, { newPassword: 'another long password' }),
        'INVALID_PARAMETER_VALUE',
      );
      await expectKeelError(
        s.identity.changePassword(self, user.username, {
          newPassword: 'another long password',
          currentPassword: 'wrong',
        }),
        'PERMISSION_DENIED',
        'The current password is not correct.',
      );
      await s.identity.changePassword(self, user.username, {
        newPassword: 'another long password',
        currentPassword: passwordOf(user),
      });
      await s.identity.changePassword(s.admin, user.username, { newPassword: 'an admin chose this one' });
      const caller = await s.auth.authenticate({
        method: 'GET',
        authorization: basic(user.username, 'an admin chose this one'),
      });
      expect(caller.user?.userId).toBe(user.userId);
      const robot = uniqueName('robot');
      await s.identity.createUser(s.admin, { username: robot, kind: 'service_account' });
      await expectKeelError(
        s.identity.changePassword(s.admin, robot, { newPassword: 'robots have none' }),
        'INVALID_STATE',
      );
    });

    test('the last active site administrator can be neither demoted, disabled nor deleted', async () => {
      // This file's services start with one administrator; others made here are removed again.
      const admins = await s.identityStore.countActiveAdmins();
      expect(admins).toBe(1);
      const root = s.admin.user!.username;
      await expectKeelError(
        s.identity.updateUser(s.admin, root, { isAdmin: false }),
        'INVALID_STATE',
        /last active site administrator/,
      );
      await expectKeelError(s.identity.updateUser(s.admin, root, { disabled: true }), 'INVALID_STATE');
      await expectKeelError(s.identity.deleteUser(s.admin, root), 'INVALID_STATE');
      const second = await newUser(s, { isAdmin: true });
      await s.identity.updateUser(s.admin, second.username, { disabled: true });
      await expectKeelError(s.identity.deleteUser(s.admin, root), 'INVALID_STATE');
      await s.identity.updateUser(s.admin, second.username, { disabled: false });
      const secondCaller = callerOf(second);
      await s.identity.updateUser(secondCaller, root, { isAdmin: false });
      await s.identity.updateUser(secondCaller, root, { isAdmin: true });
      await s.identity.deleteUser(s.admin, second.username);
      expect(await s.identityStore.countActiveAdmins()).toBe(1);
    });

    test('two administrators removed at once: one removal is refused, one administrator remains', async () => {
      const root = s.admin.user!.username;
      const second = await newUser(s, { isAdmin: true });
      const outcomes = await Promise.allSettled([
        s.identity.updateUser(s.admin, root, { isAdmin: false }),
        s.identity.deleteUser(s.admin, second.username),
      ]);
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(refused).toHaveLength(1);
      await expectKeelError(Promise.reject((refused[0] as PromiseRejectedResult).reason), 'INVALID_STATE');
      expect(await s.identityStore.countActiveAdmins()).toBe(1);
      // Back to this file's one administrator, whichever removal won.
      if (outcomes[0].status === 'fulfilled') {
        await s.identity.updateUser(callerOf(second), root, { isAdmin: true });
        await s.identity.deleteUser(s.admin, second.username);
      }
      expect(await s.identityStore.countActiveAdmins()).toBe(1);
    });

    test('a deleted user is refused at once', async () => {
      const user = await newUser(s, { role: 'reader' });
      const { token } = await s.identity.createToken(callerOf(user), { name: 'soon gone' });
      await s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` });
      await s.identity.deleteUser(s.admin, user.username);
      await expectKeelError(
        s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` }),
        'UNAUTHENTICATED',
      );
    });

    test('the first administrator: created once, then found as it is; a non-admin of that name is refused', async () => {
      const username = uniqueName('boot');
      const created = await s.identity.bootstrapAdmin({ username, password: 'first password 0123' });
      expect(created).toMatchObject({ created: true, user: { username, isAdmin: true } });
      const again = await s.identity.bootstrapAdmin({ username, password: 'another password 0123' });
      expect(again).toMatchObject({ created: false, user: { userId: created.user.userId } });
      const caller = await s.auth.authenticate({
        method: 'GET',
        authorization: basic(username, 'first password 0123'),
      });
      expect(caller.user?.isAdmin).toBe(true);
      const event = await s.audit.query(s.admin, { objectType: 'user', objectId: created.user.userId });
      expect(event.items[0]).toMatchObject({ action: 'user.create', actorId: null, actorName: 'system' });

      const plain = await newUser(s);
      await expectKeelError(
        s.identity.bootstrapAdmin({ username: plain.username, password: 'whatever password 0123' }),
        'INVALID_STATE',
        /not a site administrator/,
      );
      await s.identity.deleteUser(s.admin, username);
    });
  });

  describe('groups, workspaces and roles', () => {
    test('groups are for site administrators; a group’s grant reaches its members at once', async () => {
      const member = await newUser(s);
      const caller = callerOf(member);
      const group = uniqueName('team');
      await expectKeelError(s.identity.createGroup(caller, { name: group }), 'PERMISSION_DENIED');
      await s.identity.createGroup(s.admin, { name: group, description: 'A team' });
      await s.identity.addGroupMember(s.admin, group, member.username);
      expect((await s.identity.listGroupMembers(s.admin, group)).map((u) => u.username)).toEqual([
        member.username,
      ]);
      const experimentId = await s.tracking.createExperiment(s.admin, { name: uniqueName('team-exp') });
      await expectKeelError(s.tracking.getExperiment(caller, experimentId), 'RESOURCE_DOES_NOT_EXIST');
      await s.identity.setPermission(s.admin, { type: 'experiment', id: experimentId }, { group }, 'READ');
      expect((await s.tracking.getExperiment(caller, experimentId)).experimentId).toBe(experimentId);
      await s.identity.removeGroupMember(s.admin, group, member.username);
      await expectKeelError(s.tracking.getExperiment(caller, experimentId), 'RESOURCE_DOES_NOT_EXIST');
      await s.identity.addGroupMember(s.admin, group, member.username);
      await s.identity.deleteGroup(s.admin, group);
      await expectKeelError(s.tracking.getExperiment(caller, experimentId), 'RESOURCE_DOES_NOT_EXIST');
      await expectKeelError(
        s.identity.deleteGroup(s.admin, group),
        'RESOURCE_DOES_NOT_EXIST',
        `Group '${group}' not found`,
      );
    });

    test('workspaces: administrators create and delete; everyone lists those they may select', async () => {
      const reader = callerOf(await newUser(s, { role: 'reader' }));
      await expectKeelError(
        s.identity.createWorkspace(reader, { name: uniqueName('ws').toLowerCase() }),
        'PERMISSION_DENIED',
      );
      const name = uniqueName('ws').toLowerCase();
      await s.identity.createWorkspace(s.admin, { name, description: 'Vision' });
      await expectKeelError(
        s.identity.createWorkspace(s.admin, { name: '../etc' }),
        'INVALID_PARAMETER_VALUE',
      );
      expect((await s.identity.listWorkspaces(reader)).map((w) => w.name)).toEqual(['default']);
      await s.identity.grantRole(s.admin, name, { user: reader.user!.username }, 'reader');
      expect((await s.identity.listWorkspaces(reader)).map((w) => w.name)).toEqual(['default', name].sort());
      expect((await s.identity.listWorkspaces(s.admin)).map((w) => w.name)).toContain(name);
      await expectKeelError(s.identity.deleteWorkspace(s.admin, 'default'), 'INVALID_STATE');
      await s.identity.deleteWorkspace(s.admin, name);
      expect((await s.identity.listWorkspaces(reader)).map((w) => w.name)).toEqual(['default']);
    });

    test('a workspace admin manages that workspace’s roles only; a reader none', async () => {
      const workspace = await newWorkspace(s);
      const wsAdmin = callerOf(await newUser(s, { role: 'admin', workspace }));
      const reader = callerOf(await newUser(s, { role: 'reader' }));
      const target = await newUser(s);
      await s.identity.grantRole(wsAdmin, workspace, { user: target.username }, 'editor');
      expect(
        (await s.identity.listRoles(wsAdmin, workspace)).find((b) => b.principalName === target.username)
          ?.role,
      ).toBe('editor');
      await expectKeelError(
        s.identity.grantRole(wsAdmin, 'default', { user: target.username }, 'editor'),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await expectKeelError(
        s.identity.grantRole(reader, 'default', { user: reader.user!.username }, 'admin'),
        'PERMISSION_DENIED',
      );
      await expectKeelError(
        s.identity.grantRole(s.admin, workspace, { user: target.username }, 'owner' as never),
        'INVALID_PARAMETER_VALUE',
      );
      await expectKeelError(
        s.identity.grantRole(s.admin, workspace, {}, 'reader'),
        'INVALID_PARAMETER_VALUE',
      );
      await expectKeelError(
        s.identity.grantRole(s.admin, workspace, { user: target.username, group: 'x' }, 'reader'),
        'INVALID_PARAMETER_VALUE',
      );
      await expectKeelError(
        s.identity.grantRole(s.admin, 'no-such-ws', { user: target.username }, 'reader'),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await s.identity.revokeRole(wsAdmin, workspace, { user: target.username });
      await expectKeelError(
        s.identity.revokeRole(wsAdmin, workspace, { user: target.username }),
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    test('whoami: the user, the workspace, what they may select and their roles', async () => {
      const workspace = await newWorkspace(s);
      const user = await newUser(s, { role: 'editor', workspace });
      const me = await s.identity.whoami(callerOf(user, { workspace }));
      expect(me.user).toMatchObject({ userId: user.userId });
      expect(me.user).not.toHaveProperty('passwordHash');
      expect(me).toMatchObject({ workspace, roles: [{ workspace, role: 'editor' }] });
      expect(me.workspaces.map((w) => w.name)).toEqual(['default', workspace].sort());
      expect(await s.identity.whoami(unauthenticatedCaller())).toMatchObject({
        user: null,
        workspace: 'default',
        roles: [],
      });
    });
  });

  describe('object permissions', () => {
    test('MANAGE is needed; an unreadable or unknown experiment is "not found" alike; bad input is refused', async () => {
      const experimentId = await s.tracking.createExperiment(s.admin, { name: uniqueName('perm') });
      const reader = callerOf(await newUser(s, { role: 'reader' }));
      const outsider = callerOf(await newUser(s));
      const bystander = await newUser(s);
      const object = { type: 'experiment' as const, id: experimentId };
      await expectKeelError(
        s.identity.setPermission(reader, object, { user: bystander.username }, 'READ'),
        'PERMISSION_DENIED',
      );
      const hidden = await expectKeelError(
        s.identity.setPermission(outsider, object, { user: bystander.username }, 'READ'),
        'RESOURCE_DOES_NOT_EXIST',
      );
      const missing = await expectKeelError(
        s.identity.setPermission(
          s.admin,
          { type: 'experiment', id: '987654321' },
          { user: bystander.username },
          'READ',
        ),
        'RESOURCE_DOES_NOT_EXIST',
      );
      expect(hidden.message.replace(experimentId, 'ID')).toBe(missing.message.replace('987654321', 'ID'));
      await expectKeelError(
        s.identity.setPermission(
          s.admin,
          { type: 'experiment', id: '1 OR 1=1' },
          { user: bystander.username },
          'READ',
        ),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await expectKeelError(
        s.identity.setPermission(
          s.admin,
          { type: 'secrets' as never, id: '1' },
          { user: bystander.username },
          'READ',
        ),
        'INVALID_PARAMETER_VALUE',
      );
      await expectKeelError(
        s.identity.setPermission(s.admin, object, { user: bystander.username }, 'GOD' as never),
        'INVALID_PARAMETER_VALUE',
      );
      expect(await s.identity.getPermission(s.admin, object, { user: bystander.username })).toBeUndefined();
      await s.identity.setPermission(s.admin, object, { user: bystander.username }, 'edit' as never);
      expect(await s.identity.getPermission(s.admin, object, { user: bystander.username })).toBe('EDIT');
      const listed = await s.identity.listPermissions(s.admin, object);
      expect(listed.map((p) => [p.principalName, p.permission])).toContainEqual([bystander.username, 'EDIT']);
      await s.identity.removePermission(s.admin, object, { user: bystander.username });
      await expectKeelError(
        s.identity.removePermission(s.admin, object, { user: bystander.username }),
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });

  describe('API tokens', () => {
    test('expiry: 90 days by default, at most 365, never only for administrators', async () => {
      const user = await newUser(s);
      const self = callerOf(user);
      const now = s.clock.now();
      expect((await s.identity.createToken(self, { name: 'default' })).info.expiresTime).toBe(
        now + 90 * 86_400_000,
      );
      expect(
        (await s.identity.createToken(self, { name: 'year', expiresInDays: 365 })).info.expiresTime,
      ).toBe(now + 365 * 86_400_000);
      for (const days of [0, 366, 1.5, -1])
        await expectKeelError(
          s.identity.createToken(self, { name: 'bad', expiresInDays: days }),
          'INVALID_PARAMETER_VALUE',
        );
      await expectKeelError(
        s.identity.createToken(self, { name: 'forever', expiresInDays: null }),
        'PERMISSION_DENIED',
      );
      expect(
        (await s.identity.createToken(s.admin, { name: 'forever', expiresInDays: null })).info.expiresTime,
      ).toBeNull();
      await expectKeelError(s.identity.createToken(self, { name: '' }), 'INVALID_PARAMETER_VALUE');
    });

    test('another user’s token, or a service account’s, needs a site administrator', async () => {
      const user = await newUser(s);
      const other = await newUser(s);
      const robot = uniqueName('robot');
      await s.identity.createUser(s.admin, { username: robot, kind: 'service_account' });
      const self = callerOf(user);
      await expectKeelError(
        s.identity.createToken(self, { name: 'x', username: other.username }),
        'PERMISSION_DENIED',
      );
      await expectKeelError(
        s.identity.createToken(self, { name: 'x', username: robot }),
        'PERMISSION_DENIED',
      );
      await expectKeelError(s.identity.listTokens(self, other.username), 'PERMISSION_DENIED');
      const { token, info } = await s.identity.createToken(s.admin, { name: 'ci', username: robot });
      const caller = await s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` });
      expect(caller.user).toMatchObject({ username: robot, kind: 'service_account' });
      // The service account itself may not mint more tokens, but may revoke its own.
      await expectKeelError(s.identity.createToken(caller, { name: 'more' }), 'PERMISSION_DENIED');
      await s.identity.revokeToken(caller, info.tokenId);
      const mine = await s.identity.createToken(self, { name: 'mine', username: user.username });
      expect((await s.identity.listTokens(s.admin, user.username)).map((t) => t.tokenId)).toContain(
        mine.info.tokenId,
      );
      // Another user's token is "not found" to a non-administrator.
      await expectKeelError(
        s.identity.revokeToken(callerOf(other), mine.info.tokenId),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await expectKeelError(s.identity.revokeToken(self, 'nope'), 'RESOURCE_DOES_NOT_EXIST');
    });

    test('a token made with a workspace-limited token is limited the same way', async () => {
      const workspace = await newWorkspace(s);
      const user = await newUser(s, { role: 'editor', workspace });
      const limited = callerOf(user, { tokenWorkspace: workspace });
      expect((await s.identity.createToken(limited, { name: 'child' })).info.workspace).toBe(workspace);
      await expectKeelError(
        s.identity.createToken(limited, { name: 'escape', workspace: 'default' }),
        'RESOURCE_DOES_NOT_EXIST',
      );
      const hidden = await newWorkspace(s);
      await expectKeelError(
        s.identity.createToken(callerOf(user), { name: 'x', workspace: hidden }),
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    test('at most 20 tokens a user per 15 minutes', async () => {
      const self = callerOf(await newUser(s));
      for (let i = 0; i < 20; i++) await s.identity.createToken(self, { name: `t${i}` });
      await expectKeelError(
        s.identity.createToken(self, { name: 'one too many' }),
        'REQUEST_LIMIT_EXCEEDED',
        /try again/,
      );
      expect(await s.identity.listTokens(self)).toHaveLength(20);
      s.clock.advance(15 * 60_000);
      await s.identity.createToken(self, { name: 'next window' });
    });
  });

  describe('the audit trail', () => {
    test('site administrators read all; workspace admins their workspace, asked for; others nothing', async () => {
      const workspace = await newWorkspace(s);
      const wsAdmin = callerOf(await newUser(s, { role: 'admin', workspace }));
      const editor = callerOf(await newUser(s, { role: 'editor', workspace }), { workspace });
      const experimentId = await s.tracking.createExperiment(editor, { name: uniqueName('audited') });
      const mine = await s.audit.query(wsAdmin, { workspace, action: 'experiment.' });
      expect(mine.items.map((e) => [e.action, e.objectId])).toEqual([['experiment.create', experimentId]]);
      await expectKeelError(s.audit.query(wsAdmin, {}), 'PERMISSION_DENIED');
      await expectKeelError(s.audit.query(wsAdmin, { workspace: 'default' }), 'PERMISSION_DENIED');
      await expectKeelError(s.audit.query(editor, { workspace }), 'PERMISSION_DENIED');
      expect((await s.audit.query(s.admin, { maxResults: 5 })).items).toHaveLength(5);
      expect((await s.audit.query(unauthenticatedCaller(), { maxResults: 1 })).items).toHaveLength(1);
      await expectKeelError(s.audit.query(s.admin, { maxResults: 1001 }), 'INVALID_PARAMETER_VALUE');
      await expectKeelError(s.audit.query(s.admin, { workspace: "' OR 1=1 --" }), 'INVALID_PARAMETER_VALUE');
      await expectKeelError(s.audit.query(s.admin, { since: Number.NaN }), 'INVALID_PARAMETER_VALUE');
      // A mistyped object type is refused, not answered with an empty page that reads as "nothing happened".
      await expectKeelError(
        s.audit.query(s.admin, { objectType: 'experiments' as 'experiment' }),
        'INVALID_PARAMETER_VALUE',
        /^Invalid object_type 'experiments': use one of experiment, run, logged_model, /,
      );
    });
  });

  test('the first administrator signs in with the bootstrap password', async () => {
    const caller = await s.auth.authenticate({
      method: 'GET',
      authorization: basic(s.admin.user!.username, adminPassword),
    });
    expect(caller.user?.isAdmin).toBe(true);
  });
});
