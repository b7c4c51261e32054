import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LocalBlobStore } from '../../src/backends/blob/index.js';
import {
  SqlAuditStore,
  SqlIdentityStore,
  type SqlDatabase,
  type SqlTrackingStore,
} from '../../src/backends/sql/index.js';
import { systemStamp } from '../../src/core/audit/index.js';
import type { Caller, Role, User } from '../../src/core/auth/index.js';
import { ArtifactService } from '../../src/services/artifacts/index.js';
import { AuditService } from '../../src/services/audit/index.js';
import {
  AccessControl,
  AuthService,
  grantCreatorManage,
  IdentityService,
  PasswordHasher,
} from '../../src/services/auth/index.js';
import { TrackingService } from '../../src/services/tracking/index.js';
import type { Engine } from '../support/databases.js';
import { uniqueName, useSqlStore } from '../contract/sql-store-fixture.js';

/** A controllable clock: starts at a fixed time, moves only when told. */
export class TestClock {
  constructor(public time = Date.UTC(2026, 0, 5, 12, 0, 0)) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Every service of the issue over one fresh database, as the app composes them. */
export interface Services {
  readonly clock: TestClock;
  readonly sqlDatabase: SqlDatabase;
  readonly trackingStore: SqlTrackingStore;
  readonly identityStore: SqlIdentityStore;
  readonly hasher: PasswordHasher;
  readonly access: AccessControl;
  readonly auth: AuthService;
  readonly identity: IdentityService;
  readonly tracking: TrackingService;
  readonly artifacts: ArtifactService;
  readonly audit: AuditService;
  /** The first site administrator, created in beforeAll. */
  readonly admin: Caller;
}

export const adminPassword = 'root-admin-password-0123';

/**
 * A fresh, migrated database of `engine` for the calling test file, with every service over it
 * (authentication on, the cheapest scrypt cost, a 1 s cache TTL on a test clock) and a first admin.
 */
export function useServices(engine: Engine, label: string): Services {
  const fixture = useSqlStore(engine, label);
  let services: Services | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keel-services-'));
    const clock = new TestClock();
    const sqlDatabase = fixture.sqlDatabase;
    const trackingStore = fixture.store;
    const identityStore = new SqlIdentityStore(sqlDatabase, { now: clock.now });
    const hasher = new PasswordHasher({ cost: 10 });
    const access = new AccessControl({ identity: identityStore, cacheTtlMs: 1000, now: clock.now });
    const auth = new AuthService({ identity: identityStore, access, hasher, enabled: true, now: clock.now });
    const tracking = new TrackingService({
      store: trackingStore,
      access,
      now: clock.now,
      onExperimentCreated: grantCreatorManage({ identity: identityStore, access }),
    });
    const identity = new IdentityService({
      identity: identityStore,
      access,
      hasher,
      auth,
      now: clock.now,
      objectWorkspace: (type, id) => tracking.objectWorkspace(type, id),
    });
    const artifacts = new ArtifactService({
      store: trackingStore,
      access,
      blobs: new LocalBlobStore(join(dir, 'artifacts')),
    });
    const audit = new AuditService({ store: new SqlAuditStore(sqlDatabase), access });
    const { user } = await identity.bootstrapAdmin({ username: uniqueName('root'), password: adminPassword });
    services = {
      clock,
      sqlDatabase,
      trackingStore,
      identityStore,
      hasher,
      access,
      auth,
      identity,
      tracking,
      artifacts,
      audit,
      admin: callerOf(user),
    };
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  return new Proxy({} as Services, {
    get(_target, key) {
      if (!services) throw new Error('the services are built in beforeAll');
      return services[key as keyof Services];
    },
  });
}

/** The caller a request authenticated as `user` stands for. */
export function callerOf(
  user: User,
  options: { workspace?: string; tokenWorkspace?: string | null } = {},
): Caller {
  const tokenWorkspace = options.tokenWorkspace ?? null;
  return {
    user: { userId: user.userId, username: user.username, kind: user.kind, isAdmin: user.isAdmin },
    workspace: options.workspace ?? tokenWorkspace ?? 'default',
    tokenWorkspace,
    via: tokenWorkspace === null ? 'password' : 'token',
    requestId: `req-${user.username}`,
    ip: '10.1.2.3',
  };
}

/** A user with a password (`<username>-password-0123`) and, when given, a role in a workspace. */
export async function newUser(
  services: Services,
  options: { role?: Role; workspace?: string; prefix?: string; isAdmin?: boolean } = {},
): Promise<User> {
  const username = uniqueName(options.prefix ?? 'user');
  const user = await services.identity.createUser(services.admin, {
    username,
    password: `${username}-password-0123`,
    isAdmin: options.isAdmin,
  });
  if (options.role)
    await services.identity.grantRole(
      services.admin,
      options.workspace ?? 'default',
      { user: username },
      options.role,
    );
  return user;
}

export function passwordOf(user: User): string {
  return `${user.username}-password-0123`;
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** A workspace made by the system, straight through the store. */
export async function newWorkspace(services: Services): Promise<string> {
  const name = uniqueName('ws').toLowerCase();
  await services.identityStore.createWorkspace({ name, description: '', now: 1 }, systemStamp);
  return name;
}
