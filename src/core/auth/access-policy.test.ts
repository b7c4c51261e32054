import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectivePermission,
  objectKey,
  permissionRank,
  permits,
  readableObjects,
  roleRank,
  rolePermission,
  strongerPermission,
  strongerRole,
  unauthenticatedCaller,
  workspaceRole,
  type AccessSubject,
  type ReadableObjects,
} from './access-policy.js';
import { objectTypes, permissions, roles, type ObjectType, type Permission, type Role } from './entities.js';

function subject(overrides: Partial<AccessSubject> = {}): AccessSubject {
  return {
    userId: '01J0000000000000000000USER',
    username: 'alice',
    kind: 'user',
    isAdmin: false,
    disabled: false,
    credentialsChangedTime: 0,
    groupIds: [],
    workspaceRoles: new Map(),
    userGrants: new Map(),
    groupGrants: new Map(),
    ...overrides,
  };
}

function grants(...entries: [ObjectType, string, Permission][]): Map<string, Permission> {
  return new Map(entries.map(([type, id, permission]) => [objectKey(type, id), permission]));
}

function readable(filter: ReadableObjects, id: string): boolean {
  return filter.kind === 'all-except' ? !filter.denied.includes(id) : filter.allowed.includes(id);
}

const experiment = (id: string, workspace = 'default') => ({ type: 'experiment' as const, id, workspace });

// Small pools so that generated grants, roles and targets collide often.
const workspaceArb = fc.constantFrom('default', 'team-a', 'team-b');
const idArb = fc.constantFrom('1', '2', '3', '42', 'a:b', 'experiment:1');
const typeArb = fc.constantFrom(...objectTypes);
const permissionArb = fc.constantFrom(...permissions);
const roleArb = fc.constantFrom(...roles);
const tokenWorkspaceArb = fc.option(workspaceArb, { nil: null });
const grantsArb = fc
  .array(fc.tuple(typeArb, idArb, permissionArb), { maxLength: 8 })
  .map((entries) => grants(...entries));
const subjectArb = fc
  .record({
    isAdmin: fc.constantFrom(false, false, false, true),
    disabled: fc.constantFrom(false, false, false, true),
    workspaceRoles: fc
      .array(fc.tuple(workspaceArb, roleArb), { maxLength: 3 })
      .map((entries) => new Map(entries)),
    userGrants: grantsArb,
    groupGrants: grantsArb,
  })
  .map((fields) => subject(fields));
const targetArb = fc.record({ type: typeArb, id: idArb, workspace: workspaceArb });

describe('permission and role order', () => {
  it('ranks permissions and roles weakest first', () => {
    expect(permissions.map(permissionRank)).toEqual([0, 1, 2, 3]);
    expect(roles.map(roleRank)).toEqual([0, 1, 2, 3]);
  });

  it('permits exactly what is at most as strong as what is held', () => {
    for (const held of permissions)
      for (const needed of permissions)
        expect(permits(held, needed)).toBe(permissions.indexOf(held) >= permissions.indexOf(needed));
    expect(permits('NO_PERMISSIONS', 'NO_PERMISSIONS')).toBe(true);
    expect(permits('NO_PERMISSIONS', 'READ')).toBe(false);
    expect(permits('READ', 'EDIT')).toBe(false);
    expect(permits('MANAGE', 'READ')).toBe(true);
  });

  it('picks the stronger permission and role, whichever side it is on', () => {
    expect(strongerPermission('READ', 'EDIT')).toBe('EDIT');
    expect(strongerPermission('MANAGE', 'NO_PERMISSIONS')).toBe('MANAGE');
    expect(strongerPermission('READ', 'READ')).toBe('READ');
    expect(strongerRole('reader', 'manager')).toBe('manager');
    expect(strongerRole('admin', 'editor')).toBe('admin');
    fc.assert(
      fc.property(permissionArb, permissionArb, (a, b) => {
        const stronger = strongerPermission(a, b);
        expect(stronger).toBe(strongerPermission(b, a));
        expect(permits(stronger, a) && permits(stronger, b)).toBe(true);
        expect([a, b]).toContain(stronger);
      }),
    );
    fc.assert(
      fc.property(roleArb, roleArb, (a, b) => {
        const stronger = strongerRole(a, b);
        expect(stronger).toBe(strongerRole(b, a));
        expect(Math.max(roleRank(a), roleRank(b))).toBe(roleRank(stronger));
      }),
    );
  });

  it('maps each role to what it grants on every object of its workspace', () => {
    expect(rolePermission('reader')).toBe('READ');
    expect(rolePermission('editor')).toBe('EDIT');
    expect(rolePermission('manager')).toBe('MANAGE');
    expect(rolePermission('admin')).toBe('MANAGE');
    // A stronger role never grants less.
    for (let i = 1; i < roles.length; i++)
      expect(permits(rolePermission(roles[i]!), rolePermission(roles[i - 1]!))).toBe(true);
  });
});

describe('objectKey and unauthenticatedCaller', () => {
  it('keys an object by its type and id', () => {
    expect(objectKey('experiment', '7')).toBe('experiment:7');
    expect(objectKey('registered_model', 'm')).toBe('registered_model:m');
  });

  it('describes a caller without authentication in the default workspace unless told otherwise', () => {
    expect(unauthenticatedCaller()).toEqual({
      user: null,
      workspace: 'default',
      tokenWorkspace: null,
      via: 'none',
      requestId: undefined,
      ip: undefined,
    });
    expect(unauthenticatedCaller({ workspace: 'team-a', requestId: 'r1', ip: '127.0.0.1' })).toMatchObject({
      user: null,
      workspace: 'team-a',
      requestId: 'r1',
      ip: '127.0.0.1',
    });
  });
});

describe('effectivePermission, rule by rule', () => {
  it('1. a disabled user holds nothing, even as an administrator with grants and roles', () => {
    const disabled = subject({
      disabled: true,
      isAdmin: true,
      workspaceRoles: new Map([['default', 'admin']]),
      userGrants: grants(['experiment', '1', 'MANAGE']),
    });
    expect(effectivePermission(disabled, experiment('1'))).toBe('NO_PERMISSIONS');
    expect(effectivePermission(disabled, experiment('1'), 'default')).toBe('NO_PERMISSIONS');
  });

  it('2. a token limited to another workspace holds nothing, whatever the user holds there', () => {
    const manager = subject({
      workspaceRoles: new Map([['team-a', 'manager']]),
      userGrants: grants(['experiment', '1', 'MANAGE']),
    });
    expect(effectivePermission(manager, experiment('1', 'team-a'), 'team-b')).toBe('NO_PERMISSIONS');
    expect(effectivePermission(manager, experiment('1', 'team-a'), 'team-a')).toBe('MANAGE');
    expect(effectivePermission(manager, experiment('1', 'team-a'), null)).toBe('MANAGE');
    const admin = subject({ isAdmin: true });
    expect(effectivePermission(admin, experiment('1', 'team-a'), 'team-b')).toBe('NO_PERMISSIONS');
  });

  it('3. a site administrator holds MANAGE, even over a grant of NO_PERMISSIONS', () => {
    const admin = subject({ isAdmin: true, userGrants: grants(['experiment', '1', 'NO_PERMISSIONS']) });
    expect(effectivePermission(admin, experiment('1'))).toBe('MANAGE');
    expect(effectivePermission(admin, experiment('2', 'anywhere'))).toBe('MANAGE');
    expect(effectivePermission(admin, experiment('2', 'team-a'), 'team-a')).toBe('MANAGE');
  });

  it('4. a grant to the user on the object narrows or widens the role', () => {
    const editor = subject({
      workspaceRoles: new Map([['default', 'editor']]),
      userGrants: grants(['experiment', '1', 'NO_PERMISSIONS'], ['experiment', '2', 'MANAGE']),
      groupGrants: grants(['experiment', '1', 'MANAGE'], ['experiment', '2', 'READ']),
    });
    expect(effectivePermission(editor, experiment('1'))).toBe('NO_PERMISSIONS');
    expect(effectivePermission(editor, experiment('2'))).toBe('MANAGE');
    expect(effectivePermission(editor, experiment('3'))).toBe('EDIT');
  });

  it('5. else the grant to the user’s groups decides, over the role', () => {
    const manager = subject({
      workspaceRoles: new Map([['default', 'manager']]),
      groupGrants: grants(['experiment', '1', 'READ'], ['experiment', '2', 'NO_PERMISSIONS']),
    });
    expect(effectivePermission(manager, experiment('1'))).toBe('READ');
    expect(effectivePermission(manager, experiment('2'))).toBe('NO_PERMISSIONS');
    expect(effectivePermission(manager, experiment('3'))).toBe('MANAGE');
    const outsider = subject({ groupGrants: grants(['experiment', '1', 'EDIT']) });
    expect(effectivePermission(outsider, experiment('1', 'team-b'))).toBe('EDIT');
  });

  it('6. else the role in the object’s workspace decides', () => {
    const user = subject({
      workspaceRoles: new Map<string, Role>([
        ['default', 'reader'],
        ['team-a', 'editor'],
        ['team-b', 'admin'],
      ]),
    });
    expect(effectivePermission(user, experiment('1'))).toBe('READ');
    expect(effectivePermission(user, experiment('1', 'team-a'))).toBe('EDIT');
    expect(effectivePermission(user, experiment('1', 'team-b'))).toBe('MANAGE');
  });

  it('7. else nothing', () => {
    const user = subject({ workspaceRoles: new Map([['team-a', 'admin']]) });
    expect(effectivePermission(user, experiment('1'))).toBe('NO_PERMISSIONS');
    expect(effectivePermission(subject(), experiment('1'))).toBe('NO_PERMISSIONS');
  });

  it('keeps grants of one object type apart from another with the same id', () => {
    const user = subject({ userGrants: grants(['registered_model', '1', 'MANAGE']) });
    expect(effectivePermission(user, experiment('1'))).toBe('NO_PERMISSIONS');
    expect(effectivePermission(user, { type: 'registered_model', id: '1', workspace: 'default' })).toBe(
      'MANAGE',
    );
  });
});

describe('workspaceRole', () => {
  it('is the role held in the workspace, admin for a site administrator', () => {
    const user = subject({ workspaceRoles: new Map([['team-a', 'editor']]) });
    expect(workspaceRole(user, 'team-a')).toBe('editor');
    expect(workspaceRole(user, 'team-b')).toBeUndefined();
    expect(workspaceRole(subject({ isAdmin: true }), 'team-b')).toBe('admin');
  });

  it('is none for a disabled user or under a token limited to another workspace', () => {
    const user = subject({ isAdmin: true, workspaceRoles: new Map([['team-a', 'editor']]) });
    expect(workspaceRole({ ...user, disabled: true }, 'team-a')).toBeUndefined();
    expect(workspaceRole(user, 'team-a', 'team-b')).toBeUndefined();
    expect(workspaceRole(user, 'team-a', 'team-a')).toBe('admin');
    expect(workspaceRole({ ...user, isAdmin: false }, 'team-a', 'team-a')).toBe('editor');
  });
});

describe('readableObjects', () => {
  it('lets a role holder read all but what a grant denies', () => {
    const reader = subject({
      workspaceRoles: new Map([['default', 'reader']]),
      userGrants: grants(['experiment', '1', 'NO_PERMISSIONS'], ['experiment', '2', 'READ']),
      groupGrants: grants(['experiment', '2', 'NO_PERMISSIONS'], ['experiment', '3', 'NO_PERMISSIONS']),
    });
    const filter = readableObjects(reader, 'experiment', 'default');
    expect(filter.kind).toBe('all-except');
    expect(filter.kind === 'all-except' && [...filter.denied].sort()).toEqual(['1', '3']);
  });

  it('lets a user without a role read only what a grant allows', () => {
    const user = subject({
      userGrants: grants(['experiment', '1', 'READ'], ['experiment', '2', 'NO_PERMISSIONS']),
      groupGrants: grants(
        ['experiment', '2', 'EDIT'],
        ['experiment', '3', 'MANAGE'],
        ['dataset', '4', 'READ'],
      ),
    });
    const filter = readableObjects(user, 'experiment', 'default');
    expect(filter.kind).toBe('only');
    expect(filter.kind === 'only' && [...filter.allowed].sort()).toEqual(['1', '3']);
    expect(readableObjects(user, 'dataset', 'default')).toEqual({ kind: 'only', allowed: ['4'] });
  });

  it('gives an administrator everything, and a disabled user or a foreign token nothing', () => {
    expect(readableObjects(subject({ isAdmin: true }), 'experiment', 'x')).toEqual({
      kind: 'all-except',
      denied: [],
    });
    expect(readableObjects(subject({ isAdmin: true }), 'experiment', 'x', 'y')).toEqual({
      kind: 'only',
      allowed: [],
    });
    expect(readableObjects(subject({ isAdmin: true, disabled: true }), 'experiment', 'x')).toEqual({
      kind: 'only',
      allowed: [],
    });
  });

  it('keeps ids that contain a colon whole', () => {
    const user = subject({ userGrants: grants(['experiment', 'a:b', 'READ']) });
    expect(readableObjects(user, 'experiment', 'default')).toEqual({ kind: 'only', allowed: ['a:b'] });
  });
});

describe('properties of the permission rules', () => {
  it('a search shows exactly what a get would allow to read', () => {
    fc.assert(
      fc.property(subjectArb, typeArb, workspaceArb, tokenWorkspaceArb, (who, type, workspace, token) => {
        const filter = readableObjects(who, type, workspace, token);
        const listed = filter.kind === 'all-except' ? filter.denied : filter.allowed;
        expect(new Set(listed).size).toBe(listed.length);
        for (const id of ['1', '2', '3', '42', 'a:b', 'experiment:1', 'never-granted']) {
          const held = effectivePermission(who, { type, id, workspace }, token);
          expect(readable(filter, id)).toBe(permits(held, 'READ'));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a site administrator holds MANAGE everywhere except under a foreign token or when disabled', () => {
    fc.assert(
      fc.property(subjectArb, targetArb, tokenWorkspaceArb, (who, target, token) => {
        const admin = { ...who, isAdmin: true };
        const inScope = token === null || token === target.workspace;
        const expected = admin.disabled || !inScope ? 'NO_PERMISSIONS' : 'MANAGE';
        expect(effectivePermission(admin, target, token)).toBe(expected);
        expect(workspaceRole(admin, target.workspace, token)).toBe(
          expected === 'MANAGE' ? 'admin' : undefined,
        );
        expect(effectivePermission({ ...admin, disabled: false }, target, token)).toBe(
          inScope ? 'MANAGE' : 'NO_PERMISSIONS',
        );
      }),
    );
  });

  it('a grant to the user themself wins over group grants and roles', () => {
    fc.assert(
      fc.property(subjectArb, targetArb, permissionArb, fc.boolean(), (who, target, granted, scoped) => {
        const user: AccessSubject = {
          ...who,
          isAdmin: false,
          disabled: false,
          userGrants: new Map([...who.userGrants, [objectKey(target.type, target.id), granted]]),
        };
        const token = scoped ? target.workspace : null;
        expect(effectivePermission(user, target, token)).toBe(granted);
      }),
    );
  });

  it('without a grant to the user, a group grant wins over roles', () => {
    fc.assert(
      fc.property(subjectArb, targetArb, permissionArb, (who, target, granted) => {
        const key = objectKey(target.type, target.id);
        const userGrants = new Map(who.userGrants);
        userGrants.delete(key);
        const user: AccessSubject = {
          ...who,
          isAdmin: false,
          disabled: false,
          userGrants,
          groupGrants: new Map([...who.groupGrants, [key, granted]]),
        };
        expect(effectivePermission(user, target)).toBe(granted);
      }),
    );
  });

  it('a disabled subject holds nothing anywhere', () => {
    fc.assert(
      fc.property(subjectArb, targetArb, tokenWorkspaceArb, (who, target, token) => {
        const disabled = { ...who, disabled: true };
        expect(effectivePermission(disabled, target, token)).toBe('NO_PERMISSIONS');
        expect(workspaceRole(disabled, target.workspace, token)).toBeUndefined();
        expect(readableObjects(disabled, target.type, target.workspace, token)).toEqual({
          kind: 'only',
          allowed: [],
        });
      }),
    );
  });

  it('a token limited to another workspace holds nothing there', () => {
    fc.assert(
      fc.property(subjectArb, targetArb, workspaceArb, (who, target, token) => {
        fc.pre(token !== target.workspace);
        expect(effectivePermission(who, target, token)).toBe('NO_PERMISSIONS');
        expect(workspaceRole(who, target.workspace, token)).toBeUndefined();
      }),
    );
  });
});
