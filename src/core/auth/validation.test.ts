import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unauthenticatedCaller, type Caller } from './access-policy.js';
import {
  DESCRIPTION_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  TOKEN_NAME_MAX_LENGTH,
  auditStamp,
  parseObjectType,
  parsePermission,
  parseRole,
  validateDescription,
  validateDisplayName,
  validateGroupName,
  validatePassword,
  validateTokenName,
  validateUsername,
  validateWorkspaceName,
} from './validation.js';
import { rejection } from '../../../test/support/rejection.js';

describe('validateUsername', () => {
  it('accepts 1 to 128 letters, digits and . _ @ + -, starting with a letter or digit', () => {
    for (const name of ['a', 'Z', '7', 'alice', 'alice.smith+ml@example.com', 'svc_ci-bot', 'A'.repeat(128)])
      expect(validateUsername(name)).toBe(name);
  });

  it('refuses anything else, naming the field and the rule', () => {
    const rule = 'use 1 to 128 letters, digits or the characters . _ @ + -, starting with a letter or digit.';
    expect(rejection(() => validateUsername('bad name'))).toBe(`Invalid username 'bad name': ${rule}`);
    for (const name of [
      '',
      '.alice',
      '_alice',
      '@alice',
      '-alice',
      'alice smith',
      'alice:pw',
      'alice/x',
      'josé',
      'alice\n',
      'A'.repeat(129),
    ])
      expect(rejection(() => validateUsername(name))).toContain(rule);
    expect(rejection(() => validateUsername('bad name', 'owner'))).toBe(`Invalid owner 'bad name': ${rule}`);
  });

  it('shows a non-string or a long value briefly', () => {
    expect(rejection(() => validateUsername(42))).toMatch(/^Invalid username '42': /);
    expect(rejection(() => validateUsername(undefined))).toMatch(/^Invalid username 'undefined': /);
    expect(rejection(() => validateUsername(null))).toMatch(/^Invalid username 'null': /);
    expect(rejection(() => validateUsername({ name: 'a' }))).toMatch(/^Invalid username '\{"name":"a"\}': /);
    const long = `${'x'.repeat(200)} y`;
    expect(rejection(() => validateUsername(long))).toMatch(
      new RegExp(`^Invalid username '${'x'.repeat(64)}\\.\\.\\.': `),
    );
  });

  it('accepts exactly what its pattern describes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/), (name) => {
        expect(validateUsername(name)).toBe(name);
      }),
    );
  });
});

describe('validatePassword', () => {
  it(`accepts ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters of any kind`, () => {
    for (const password of [
      'a'.repeat(PASSWORD_MIN_LENGTH),
      'correct horse battery staple',
      '  spaces  around  ',
      'pässwörd 🔑 密码!',
      'p'.repeat(PASSWORD_MAX_LENGTH),
    ])
      expect(validatePassword(password)).toBe(password);
  });

  it('refuses a short, long or missing password, saying the limit', () => {
    const short = `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
    expect(rejection(() => validatePassword('a'.repeat(PASSWORD_MIN_LENGTH - 1)))).toBe(short);
    expect(rejection(() => validatePassword(''))).toBe(short);
    expect(rejection(() => validatePassword(undefined))).toBe(short);
    expect(rejection(() => validatePassword(123456789012345))).toBe(short);
    expect(rejection(() => validatePassword('p'.repeat(PASSWORD_MAX_LENGTH + 1)))).toBe(
      `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`,
    );
    expect(rejection(() => validatePassword('short', 'new_password'))).toBe(
      `The new_password must be at least ${PASSWORD_MIN_LENGTH} characters long.`,
    );
  });

  it('never repeats the password in its message', () => {
    expect(rejection(() => validatePassword('hunter2'))).not.toContain('hunter2');
  });
});

describe('free text: display name, description, token name', () => {
  const cases = [
    ['display_name', validateDisplayName, DISPLAY_NAME_MAX_LENGTH],
    ['description', validateDescription, DESCRIPTION_MAX_LENGTH],
  ] as const;

  for (const [field, validate, max] of cases) {
    it(`${field}: accepts up to ${max} characters, and absent as empty`, () => {
      expect(validate(undefined)).toBe('');
      expect(validate(null)).toBe('');
      expect(validate('')).toBe('');
      expect(validate('Alice Smith — ML 🚀')).toBe('Alice Smith — ML 🚀');
      expect(validate('x'.repeat(max))).toBe('x'.repeat(max));
    });

    it(`${field}: refuses a long value, control characters or a non-string, naming the field`, () => {
      const message = `Invalid ${field}: use at most ${max} characters, without control characters.`;
      for (const value of [
        'x'.repeat(max + 1),
        'a\nb',
        'a\tb',
        'a\u0000b',
        'a\u001fb',
        'a\u007fb',
        42,
        {},
        [],
      ])
        expect(rejection(() => validate(value))).toBe(message);
    });
  }

  it('token name: needs a non-blank name of at most 128 characters', () => {
    expect(validateTokenName('ci pipeline')).toBe('ci pipeline');
    expect(validateTokenName('t'.repeat(TOKEN_NAME_MAX_LENGTH))).toBe('t'.repeat(TOKEN_NAME_MAX_LENGTH));
    const needed = 'A token needs a name that says what it is for (1 to 128 characters).';
    for (const value of [undefined, null, '', '   '])
      expect(rejection(() => validateTokenName(value))).toBe(needed);
    const message = `Invalid token name: use at most ${TOKEN_NAME_MAX_LENGTH} characters, without control characters.`;
    for (const value of ['t'.repeat(TOKEN_NAME_MAX_LENGTH + 1), 'ci\npipeline', 7])
      expect(rejection(() => validateTokenName(value))).toBe(message);
  });
});

describe('validateGroupName', () => {
  it('accepts 1 to 64 letters, digits and . _ -, starting with a letter or digit', () => {
    for (const name of ['g', 'ml-team', 'Data.Science_2', '0', 'g'.repeat(64)])
      expect(validateGroupName(name)).toBe(name);
  });

  it('refuses anything else, naming the rule', () => {
    const rule = 'use 1 to 64 letters, digits or the characters . _ -, starting with a letter or digit.';
    expect(rejection(() => validateGroupName('ml team'))).toBe(`Invalid group name 'ml team': ${rule}`);
    for (const name of ['', '-team', '.team', 'team@x', 'team+x', 'g'.repeat(65), 'équipe', undefined, 3])
      expect(rejection(() => validateGroupName(name))).toContain(rule);
  });
});

describe('validateWorkspaceName', () => {
  it('accepts a DNS label: 1 to 63 lowercase letters, digits and inner -', () => {
    for (const name of ['default', 'a', '7', 'team-a', 'a--b', 'w'.repeat(63)])
      expect(validateWorkspaceName(name)).toBe(name);
  });

  it('refuses anything else, naming the field and the rule', () => {
    const rule = "use 1 to 63 lowercase letters, digits or inner '-' (like a DNS label).";
    expect(rejection(() => validateWorkspaceName('Team-A'))).toBe(`Invalid workspace 'Team-A': ${rule}`);
    expect(rejection(() => validateWorkspaceName('x_y', 'token workspace'))).toBe(
      `Invalid token workspace 'x_y': ${rule}`,
    );
    for (const name of ['', '-a', 'a-', 'team a', 'team.a', 'w'.repeat(64), 'équipe', null])
      expect(rejection(() => validateWorkspaceName(name))).toContain(rule);
  });
});

describe('parseRole, parsePermission, parseObjectType', () => {
  it('reads roles in any case, as the lowercase name', () => {
    expect(parseRole('reader')).toBe('reader');
    expect(parseRole('EDITOR')).toBe('editor');
    expect(parseRole('Manager')).toBe('manager');
    expect(parseRole('admin')).toBe('admin');
    expect(rejection(() => parseRole('owner'))).toBe(
      "Invalid role 'owner': use one of reader, editor, manager, admin.",
    );
    for (const value of ['', ' reader', 'READ', undefined, 1])
      expect(rejection(() => parseRole(value))).toContain('use one of reader, editor, manager, admin.');
  });

  it('reads permissions in any case, as the uppercase name', () => {
    expect(parsePermission('READ')).toBe('READ');
    expect(parsePermission('edit')).toBe('EDIT');
    expect(parsePermission('Manage')).toBe('MANAGE');
    expect(parsePermission('no_permissions')).toBe('NO_PERMISSIONS');
    expect(rejection(() => parsePermission('write'))).toBe(
      "Invalid permission 'write': use one of NO_PERMISSIONS, READ, EDIT, MANAGE.",
    );
    for (const value of ['', 'NONE', 'reader', 'READ ', null, ['READ']])
      expect(rejection(() => parsePermission(value))).toContain(
        'use one of NO_PERMISSIONS, READ, EDIT, MANAGE.',
      );
  });

  it('reads object types exactly as written', () => {
    expect(parseObjectType('experiment')).toBe('experiment');
    expect(parseObjectType('registered_model')).toBe('registered_model');
    expect(parseObjectType('dataset')).toBe('dataset');
    expect(rejection(() => parseObjectType('Experiment'))).toBe(
      "Invalid object type 'Experiment': use one of experiment, registered_model, dataset.",
    );
    for (const value of ['run', 'registered-model', '', undefined])
      expect(rejection(() => parseObjectType(value))).toContain(
        'use one of experiment, registered_model, dataset.',
      );
  });
});

describe('auditStamp', () => {
  it('names the authenticated user, with the request id and address', () => {
    const caller: Caller = {
      user: { userId: '01JUSER00000000000000000AB', username: 'alice', kind: 'user', isAdmin: false },
      workspace: 'team-a',
      tokenWorkspace: 'team-a',
      via: 'token',
      requestId: 'req-1',
      ip: '10.0.0.7',
    };
    expect(auditStamp(caller)).toEqual({
      actorId: '01JUSER00000000000000000AB',
      actorName: 'alice',
      requestId: 'req-1',
      ip: '10.0.0.7',
    });
  });

  it('names an unauthenticated caller anonymous, with no actor id', () => {
    expect(auditStamp(unauthenticatedCaller({ requestId: 'req-2', ip: '127.0.0.1' }))).toEqual({
      actorId: null,
      actorName: 'anonymous',
      requestId: 'req-2',
      ip: '127.0.0.1',
    });
    const stamp = auditStamp(unauthenticatedCaller());
    expect(stamp.actorId).toBeNull();
    expect(stamp.actorName).toBe('anonymous');
    expect(stamp.requestId).toBeUndefined();
    expect(stamp.ip).toBeUndefined();
  });
});
