import { describe, expect, test, vi } from 'vitest';
import { AccessControl, AuthService, PasswordHasher } from '../../src/services/auth/index.js';
import { engines } from '../support/databases.js';
import { expectKeelError, uniqueName } from '../contract/sql-store-fixture.js';
import { basic, callerOf, newUser, newWorkspace, passwordOf, useServices } from './service-fixture.js';

describe.each(engines)('authentication on %s', (engine) => {
  const s = useServices(engine, 'svc_auth');
  let ipCounter = 0;
  /** A client address of its own, so one test's failures never count against another's. */
  const freshIp = () => `192.0.2.${++ipCounter}`;

  async function tokenFor(
    user: Awaited<ReturnType<typeof newUser>>,
    options: { workspace?: string; days?: number } = {},
  ) {
    return s.identity.createToken(callerOf(user), {
      name: 'test',
      workspace: options.workspace,
      expiresInDays: options.days,
    });
  }

  test('without credentials: 401 that says what to send', async () => {
    await expectKeelError(
      s.auth.authenticate({ method: 'GET' }),
      'UNAUTHENTICATED',
      /Authentication required/,
    );
  });

  test('a Bearer token authenticates its user, in the default workspace', async () => {
    const user = await newUser(s, { role: 'reader' });
    const { token, info } = await tokenFor(user);
    expect(token).toMatch(/^keel_[0-9A-HJKMNP-TV-Z]{26}_[A-Za-z0-9_-]{43}$/);
    expect(info.expiresTime).toBe(s.clock.now() + 90 * 24 * 3600_000);
    const caller = await s.auth.authenticate({
      method: 'POST',
      authorization: `Bearer ${token}`,
      requestId: 'r1',
    });
    expect(caller).toMatchObject({
      user: { userId: user.userId, username: user.username, kind: 'user', isAdmin: false },
      workspace: 'default',
      tokenWorkspace: null,
      via: 'token',
      requestId: 'r1',
    });
  });

  test('a token limited to a workspace works there and selects it', async () => {
    const workspace = await newWorkspace(s);
    const user = await newUser(s, { role: 'editor', workspace });
    const { token } = await tokenFor(user, { workspace });
    const caller = await s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` });
    expect(caller).toMatchObject({ workspace, tokenWorkspace: workspace });
    // It cannot select another workspace, not even `default`.
    await expectKeelError(
      s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}`, workspace: 'default' }),
      'RESOURCE_DOES_NOT_EXIST',
      "Workspace 'default' not found",
    );
  });

  test('an expired token is refused and says so', async () => {
    const user = await newUser(s);
    const { token } = await tokenFor(user, { days: 1 });
    expect(
      (await s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` })).user?.userId,
    ).toBe(user.userId);
    s.clock.advance(24 * 3600_000);
    await expectKeelError(
      s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` }),
      'UNAUTHENTICATED',
      /expired/,
    );
  });

  test('a revoked token is refused at once, though its row was cached', async () => {
    const user = await newUser(s);
    const { token, info } = await tokenFor(user);
    const findToken = vi.spyOn(s.identityStore, 'findToken');
    try {
      await s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` });
      await s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` });
      expect(findToken).toHaveBeenCalledTimes(1);
      await s.identity.revokeToken(callerOf(user), info.tokenId);
      await expectKeelError(
        s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` }),
        'UNAUTHENTICATED',
        'The API token has been revoked.',
      );
    } finally {
      findToken.mockRestore();
    }
  });

  test('wrong secrets and malformed tokens are refused alike', async () => {
    const user = await newUser(s);
    const { token } = await tokenFor(user);
    const forged = `${token.slice(0, 32)}${'A'.repeat(43)}`;
    for (const bad of [
      forged,
      `${token}x`,
      'keel_nonsense',
      'x'.repeat(300),
      token.replace('keel_', 'leek_'),
    ])
      await expectKeelError(
        s.auth.authenticate({ method: 'GET', authorization: `Bearer ${bad}` }),
        'UNAUTHENTICATED',
        'Invalid API token.',
      );
    for (const header of [
      'Basic',
      'Basic !!!',
      'Negotiate abc',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
    ])
      await expectKeelError(
        s.auth.authenticate({ method: 'GET', authorization: header }),
        'UNAUTHENTICATED',
        /Malformed/,
      );
  });

  test('a disabled user is refused by token, password and session, at once', async () => {
    const user = await newUser(s, { role: 'reader' });
    const { token } = await tokenFor(user);
    const login = await s.auth.login({ username: user.username, password: passwordOf(user), ip: freshIp() });
    const bearer = { method: 'GET', authorization: `Bearer ${token}` };
    const password = { method: 'GET', authorization: basic(user.username, passwordOf(user)), ip: freshIp() };
    const cookie = { method: 'GET', sessionCookie: login.cookieValue };
    for (const input of [bearer, password, cookie]) await s.auth.authenticate(input);
    await s.identity.updateUser(s.admin, user.username, { disabled: true });
    await expectKeelError(s.auth.authenticate(bearer), 'UNAUTHENTICATED', /disabled/);
    await expectKeelError(s.auth.authenticate(password), 'UNAUTHENTICATED', /disabled/);
    await expectKeelError(s.auth.authenticate(cookie), 'UNAUTHENTICATED');
  });

  test('Basic with a password; the same message for a wrong password and an unknown user', async () => {
    const user = await newUser(s);
    const ip = freshIp();
    const caller = await s.auth.authenticate({
      method: 'GET',
      authorization: basic(user.username, passwordOf(user)),
      ip,
    });
    expect(caller).toMatchObject({ user: { userId: user.userId }, via: 'password', ip });
    const wrong = await expectKeelError(
      s.auth.authenticate({ method: 'GET', authorization: basic(user.username, 'not-the-password'), ip }),
      'UNAUTHENTICATED',
    );
    const unknown = await expectKeelError(
      s.auth.authenticate({
        method: 'GET',
        authorization: basic(uniqueName('nobody'), 'not-the-password'),
        ip,
      }),
      'UNAUTHENTICATED',
    );
    expect(wrong.message).toBe('Invalid username or password.');
    expect(unknown.message).toBe(wrong.message);
  });

  test('Basic with an API token as the password (MLFLOW_TRACKING_USERNAME/PASSWORD clients)', async () => {
    const user = await newUser(s);
    const other = await newUser(s);
    const { token } = await tokenFor(user);
    const caller = await s.auth.authenticate({ method: 'POST', authorization: basic(user.username, token) });
    expect(caller).toMatchObject({ user: { userId: user.userId }, via: 'token' });
    await expectKeelError(
      s.auth.authenticate({ method: 'POST', authorization: basic(other.username, token) }),
      'UNAUTHENTICATED',
      'Invalid username or password.',
    );
  });

  test('verified passwords are remembered (no second scrypt), and forgotten when the password changes', async () => {
    const user = await newUser(s);
    const ip = freshIp();
    const verify = vi.spyOn(s.hasher, 'verify');
    try {
      const input = { method: 'GET', authorization: basic(user.username, passwordOf(user)), ip };
      await Promise.all([s.auth.authenticate(input), s.auth.authenticate(input), s.auth.authenticate(input)]);
      await s.auth.authenticate(input);
      expect(verify).toHaveBeenCalledTimes(1);
      s.clock.advance(10);
      await s.identity.changePassword(s.admin, user.username, { newPassword: 'a brand new password' });
      await expectKeelError(s.auth.authenticate(input), 'UNAUTHENTICATED', 'Invalid username or password.');
      const renewed = await s.auth.authenticate({
        ...input,
        authorization: basic(user.username, 'a brand new password'),
      });
      expect(renewed.user?.userId).toBe(user.userId);
    } finally {
      verify.mockRestore();
    }
  });

  test('after 10 failures a user is throttled (429, before any hashing), by Basic and by login alike', async () => {
    const victim = await newUser(s, { role: 'reader' });
    const bystander = await newUser(s, { role: 'reader' });
    const ip = freshIp();
    for (let attempt = 1; attempt <= 10; attempt++)
      await expectKeelError(
        s.auth.authenticate({ method: 'GET', authorization: basic(victim.username, `wrong-${attempt}`), ip }),
        'UNAUTHENTICATED',
      );
    const verify = vi.spyOn(s.hasher, 'verify');
    try {
      const throttled = await expectKeelError(
        s.auth.authenticate({ method: 'GET', authorization: basic(victim.username, passwordOf(victim)), ip }),
        'REQUEST_LIMIT_EXCEEDED',
      );
      expect(throttled.message).toMatch(/try again in \d+ minutes? \(at \d{4}-/);
      await expectKeelError(
        s.auth.login({
          username: victim.username.toUpperCase(),
          password: passwordOf(victim),
          ip: freshIp(),
        }),
        'REQUEST_LIMIT_EXCEEDED',
      );
      expect(verify).not.toHaveBeenCalled();
    } finally {
      verify.mockRestore();
    }
    // Another user from the same address is not locked out.
    const other = await s.auth.authenticate({
      method: 'GET',
      authorization: basic(bystander.username, passwordOf(bystander)),
      ip,
    });
    expect(other.user?.userId).toBe(bystander.userId);
    // The next window lets the victim in again.
    s.clock.advance(15 * 60_000);
    const back = await s.auth.authenticate({
      method: 'GET',
      authorization: basic(victim.username, passwordOf(victim)),
      ip,
    });
    expect(back.user?.userId).toBe(victim.userId);
  });

  test('a burst of concurrent guesses gets at most 10 passwords checked; the rest are refused before hashing', async () => {
    const victim = await newUser(s, { role: 'reader' });
    const verify = vi.spyOn(s.hasher, 'verify');
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          s.auth.authenticate({
            method: 'GET',
            authorization: basic(victim.username, `burst-${i}`),
            ip: freshIp(),
          }),
        ),
      );
      const codes = outcomes.map((outcome) =>
        outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : 'ACCEPTED',
      );
      expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(10);
      expect(codes.filter((code) => code === 'REQUEST_LIMIT_EXCEEDED')).toHaveLength(30);
      expect(verify).toHaveBeenCalledTimes(10);
    } finally {
      verify.mockRestore();
    }
  });

  test('a successful sign-in gives the address its attempt back', async () => {
    const users = await Promise.all(Array.from({ length: 3 }, () => newUser(s)));
    const ip = freshIp();
    // 99 failures from one address, then many successes: the successes do not use up the address.
    for (let i = 0; i < 99; i++)
      await expectKeelError(
        s.auth.authenticate({ method: 'GET', authorization: basic(`nobody-${i}`, 'password'), ip }),
        'UNAUTHENTICATED',
      );
    for (const user of users)
      for (let i = 0; i < 3; i++) {
        await s.auth.login({ username: user.username, password: passwordOf(user), ip });
      }
    await expectKeelError(
      s.auth.authenticate({ method: 'GET', authorization: basic('nobody-last', 'password'), ip }),
      'UNAUTHENTICATED',
    );
    await expectKeelError(
      s.auth.authenticate({ method: 'GET', authorization: basic('nobody-over', 'password'), ip }),
      'REQUEST_LIMIT_EXCEEDED',
      /from this address/,
    );
  });

  test('a successful sign-in clears the user’s failures', async () => {
    const user = await newUser(s);
    const ip = freshIp();
    const attempt = (password: string) =>
      s.auth.authenticate({ method: 'GET', authorization: basic(user.username, password), ip });
    for (let i = 0; i < 9; i++) await expectKeelError(attempt(`wrong-a${i}`), 'UNAUTHENTICATED');
    await attempt(passwordOf(user));
    for (let i = 0; i < 9; i++) await expectKeelError(attempt(`wrong-b${i}`), 'UNAUTHENTICATED');
    expect((await attempt(passwordOf(user))).user?.userId).toBe(user.userId);
  });

  test('after 100 failures from one address, that address is throttled for every username', async () => {
    const user = await newUser(s);
    const ip = freshIp();
    for (let i = 0; i < 100; i++)
      await expectKeelError(
        s.auth.authenticate({ method: 'GET', authorization: basic(`guess-${i}`, 'password'), ip }),
        'UNAUTHENTICATED',
      );
    await expectKeelError(
      s.auth.authenticate({ method: 'GET', authorization: basic(user.username, passwordOf(user)), ip }),
      'REQUEST_LIMIT_EXCEEDED',
      /from this address/,
    );
    const elsewhere = await s.auth.authenticate({
      method: 'GET',
      authorization: basic(user.username, passwordOf(user)),
      ip: freshIp(),
    });
    expect(elsewhere.user?.userId).toBe(user.userId);
  });

  test('sessions: reads need only the cookie; writes need the CSRF token; logout ends it at once', async () => {
    const user = await newUser(s, { role: 'reader' });
    const login = await s.auth.login({ username: user.username, password: passwordOf(user), ip: freshIp() });
    expect(login.user).toMatchObject({ userId: user.userId, username: user.username });
    expect(login.user).not.toHaveProperty('passwordHash');
    expect(login.csrfToken).toBe(s.auth.csrfTokenFor(login.cookieValue));
    expect(login.expiresTime).toBe(s.clock.now() + 12 * 3600_000);
    const cookie = login.cookieValue;
    expect((await s.auth.authenticate({ method: 'GET', sessionCookie: cookie })).via).toBe('session');
    await expectKeelError(
      s.auth.authenticate({ method: 'POST', sessionCookie: cookie }),
      'PERMISSION_DENIED',
      /CSRF/,
    );
    await expectKeelError(
      s.auth.authenticate({ method: 'DELETE', sessionCookie: cookie, csrfToken: `${login.csrfToken}x` }),
      'PERMISSION_DENIED',
      /CSRF/,
    );
    const other = await s.auth.login({ username: user.username, password: passwordOf(user), ip: freshIp() });
    await expectKeelError(
      s.auth.authenticate({ method: 'POST', sessionCookie: cookie, csrfToken: other.csrfToken }),
      'PERMISSION_DENIED',
      /CSRF/,
    );
    const writer = await s.auth.authenticate({
      method: 'POST',
      sessionCookie: cookie,
      csrfToken: login.csrfToken,
    });
    expect(writer.user?.userId).toBe(user.userId);

    const forged = `${cookie.slice(0, 27)}${'B'.repeat(43)}`;
    await expectKeelError(s.auth.authenticate({ method: 'GET', sessionCookie: forged }), 'UNAUTHENTICATED');
    await expectKeelError(
      s.auth.authenticate({ method: 'GET', sessionCookie: 'garbage' }),
      'UNAUTHENTICATED',
    );

    await s.auth.logout(writer, cookie);
    await expectKeelError(s.auth.authenticate({ method: 'GET', sessionCookie: cookie }), 'UNAUTHENTICATED');
    // The other session lives on.
    expect(
      (await s.auth.authenticate({ method: 'GET', sessionCookie: other.cookieValue })).user?.userId,
    ).toBe(user.userId);
  });

  test('a session ends after 12 idle hours', async () => {
    const user = await newUser(s);
    const { cookieValue } = await s.auth.login({
      username: user.username,
      password: passwordOf(user),
      ip: freshIp(),
    });
    s.clock.advance(12 * 3600_000 + 1);
    await expectKeelError(
      s.auth.authenticate({ method: 'GET', sessionCookie: cookieValue }),
      'UNAUTHENTICATED',
      /expired/,
    );
  });

  test('a service account cannot sign in with a password', async () => {
    const username = uniqueName('robot');
    await s.identity.createUser(s.admin, { username, kind: 'service_account' });
    await expectKeelError(
      s.auth.login({ username, password: 'whatever-it-may-be', ip: freshIp() }),
      'UNAUTHENTICATED',
      'Invalid username or password.',
    );
  });

  test('last use of a token is recorded at most once a minute', async () => {
    const user = await newUser(s);
    const { token, info } = await tokenFor(user);
    const touch = vi.spyOn(s.identityStore, 'touchToken');
    try {
      const input = { method: 'GET', authorization: `Bearer ${token}` };
      await s.auth.authenticate(input);
      await s.auth.authenticate(input);
      s.clock.advance(30_000);
      await s.auth.authenticate(input);
      expect(touch).toHaveBeenCalledTimes(1);
      s.clock.advance(31_000);
      await s.auth.authenticate(input);
      expect(touch).toHaveBeenCalledTimes(2);
      await touch.mock.results[1]!.value;
    } finally {
      touch.mockRestore();
    }
    const [listed] = (await s.identity.listTokens(callerOf(user))).filter((t) => t.tokenId === info.tokenId);
    expect(listed?.lastUsedTime).toBe(s.clock.now());
  });

  test('a failing last-use write neither fails the request nor goes unhandled', async () => {
    const user = await newUser(s);
    const { token } = await tokenFor(user);
    const touch = vi.spyOn(s.identityStore, 'touchToken').mockRejectedValue(new Error('database is locked'));
    try {
      const caller = await s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}` });
      expect(caller.user?.userId).toBe(user.userId);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      touch.mockRestore();
    }
  });

  test('the workspace header: a visible workspace is selected; another is "not found"; a bad name is refused', async () => {
    const workspace = await newWorkspace(s);
    const hidden = await newWorkspace(s);
    const user = await newUser(s, { role: 'reader', workspace });
    const { token } = await tokenFor(user);
    const as = (header: string) =>
      s.auth.authenticate({ method: 'GET', authorization: `Bearer ${token}`, workspace: header });
    expect((await as(workspace)).workspace).toBe(workspace);
    expect((await as('default')).workspace).toBe('default');
    await expectKeelError(as(hidden), 'RESOURCE_DOES_NOT_EXIST', `Workspace '${hidden}' not found`);
    await expectKeelError(
      as('no-such-workspace'),
      'RESOURCE_DOES_NOT_EXIST',
      "Workspace 'no-such-workspace' not found",
    );
    await expectKeelError(as('../default'), 'INVALID_PARAMETER_VALUE');
    // A site administrator selects any existing workspace, and only those.
    const { token: adminToken } = await s.identity.createToken(s.admin, { name: 'admin' });
    const asAdmin = (header: string) =>
      s.auth.authenticate({ method: 'GET', authorization: `Bearer ${adminToken}`, workspace: header });
    expect((await asAdmin(hidden)).workspace).toBe(hidden);
    await expectKeelError(asAdmin('no-such-workspace'), 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('authentication turned off', () => {
  const s = useServices('sqlite', 'svc_auth_off');

  test('every request is the unauthenticated caller, whatever it sends, in the validated workspace', async () => {
    const access = new AccessControl({ identity: s.identityStore });
    const off = new AuthService({
      identity: s.identityStore,
      access,
      hasher: new PasswordHasher({ cost: 10 }),
      enabled: false,
    });
    expect(off.enabled).toBe(false);
    const caller = await off.authenticate({
      method: 'POST',
      authorization: 'Bearer nonsense',
      ip: '127.0.0.1',
      requestId: 'r',
    });
    expect(caller).toEqual({
      user: null,
      workspace: 'default',
      tokenWorkspace: null,
      via: 'none',
      requestId: 'r',
      ip: '127.0.0.1',
    });
    const workspace = await newWorkspace(s);
    expect((await off.authenticate({ method: 'GET', workspace })).workspace).toBe(workspace);
    await expectKeelError(off.authenticate({ method: 'GET', workspace: 'nope' }), 'RESOURCE_DOES_NOT_EXIST');
    await expectKeelError(
      off.authenticate({ method: 'GET', workspace: 'Bad Name' }),
      'INVALID_PARAMETER_VALUE',
    );
    await expectKeelError(off.login({ username: 'a', password: 'b' }), 'INVALID_STATE');
  });
});
