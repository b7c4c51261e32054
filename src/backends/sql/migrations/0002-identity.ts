import { sql, type Kysely } from 'kysely';
import type { SqlCapabilities } from '../dialect.js';

/**
 * Workspaces, users and service accounts, groups, role bindings, object permissions, API tokens,
 * sessions, the login throttle and the append-only audit trail. Experiments move into workspaces:
 * every existing one goes to `default`, and names become unique per workspace instead of globally.
 *
 * SQLite cannot drop the old inline UNIQUE(name), so there the experiments table is rebuilt with the
 * 12-step procedure of https://www.sqlite.org/lang_altertable.html#otheralter (the migrator turns
 * foreign keys off around this migration and checks them before commit).
 */
export async function up(db: Kysely<unknown>, caps: SqlCapabilities): Promise<void> {
  const schema = db.schema;
  const text = 'text';
  const bigint = 'bigint';

  await schema
    .createTable('workspaces')
    .addColumn('name', text, (c) => c.primaryKey())
    .addColumn('description', text, (c) => c.notNull())
    .addColumn('created_time', bigint, (c) => c.notNull())
    .execute();
  await sql`insert into workspaces (name, description, created_time) values ('default', ${'The workspace every Keel starts with.'}, ${Date.now()})`.execute(
    db,
  );

  if (caps.engine === 'sqlite') {
    await sql`create table experiments_new (
      experiment_id integer primary key autoincrement,
      workspace text not null default 'default' references workspaces(name),
      name text not null,
      artifact_location text not null,
      lifecycle_stage text not null,
      creation_time bigint not null,
      last_update_time bigint not null,
      deleted_time bigint
    )`.execute(db);
    await sql`insert into experiments_new (experiment_id, workspace, name, artifact_location, lifecycle_stage, creation_time, last_update_time, deleted_time)
      select experiment_id, 'default', name, artifact_location, lifecycle_stage, creation_time, last_update_time, deleted_time from experiments`.execute(
      db,
    );
    // Keep AUTOINCREMENT's high-water mark: a purged experiment's id is never handed out again.
    // The copy above already wrote a row for the new table (the largest id copied, which is lower
    // than the mark when the newest experiments were purged); replace it rather than adding a
    // second row, which SQLite would not reliably prefer.
    await sql`delete from sqlite_sequence where name = 'experiments_new'`.execute(db);
    await sql`insert into sqlite_sequence (name, seq)
      select 'experiments_new', seq from sqlite_sequence where name = 'experiments'`.execute(db);
    await sql`drop table experiments`.execute(db);
    await sql`alter table experiments_new rename to experiments`.execute(db);
  } else {
    await sql`alter table experiments add column workspace text not null default 'default' references workspaces(name)`.execute(
      db,
    );
    await sql`alter table experiments drop constraint experiments_name_key`.execute(db);
    // Every experiment search now names its workspace: experiments_workspace_creation replaces it.
    await schema.dropIndex('experiments_creation').execute();
  }
  await schema
    .createIndex('experiments_workspace_name')
    .on('experiments')
    .columns(['workspace', 'name'])
    .unique()
    .execute();
  // Searches list one workspace's experiments, newest first by default.
  await schema
    .createIndex('experiments_workspace_creation')
    .on('experiments')
    .columns(['workspace', 'creation_time', 'experiment_id'])
    .execute();

  await schema
    .createTable('users')
    .addColumn('user_id', text, (c) => c.primaryKey())
    .addColumn('username', text, (c) => c.notNull())
    .addColumn('username_key', text, (c) => c.notNull().unique())
    .addColumn('display_name', text, (c) => c.notNull())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_hash', text)
    .addColumn('created_time', bigint, (c) => c.notNull())
    .addColumn('last_update_time', bigint, (c) => c.notNull())
    .addColumn('credentials_changed_time', bigint, (c) => c.notNull())
    .execute();

  await schema
    .createTable('groups')
    .addColumn('group_id', text, (c) => c.primaryKey())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('name_key', text, (c) => c.notNull().unique())
    .addColumn('description', text, (c) => c.notNull())
    .addColumn('created_time', bigint, (c) => c.notNull())
    .execute();
  await schema
    .createTable('group_members')
    .addColumn('group_id', text, (c) => c.notNull().references('groups.group_id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await schema
    .createIndex('group_members_user')
    .on('group_members')
    .columns(['user_id', 'group_id'])
    .execute();

  // Principals are users or groups, so no foreign key: the store removes a principal's rows with it.
  await schema
    .createTable('role_bindings')
    .addColumn('workspace', text, (c) => c.notNull().references('workspaces.name').onDelete('cascade'))
    .addColumn('principal_type', text, (c) => c.notNull())
    .addColumn('principal_id', text, (c) => c.notNull())
    .addColumn('role', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('role_bindings_pk', ['workspace', 'principal_type', 'principal_id'])
    .execute();
  await schema
    .createIndex('role_bindings_principal')
    .on('role_bindings')
    .columns(['principal_type', 'principal_id'])
    .execute();

  await schema
    .createTable('object_permissions')
    .addColumn('object_type', text, (c) => c.notNull())
    .addColumn('object_id', text, (c) => c.notNull())
    .addColumn('workspace', text, (c) => c.notNull())
    .addColumn('principal_type', text, (c) => c.notNull())
    .addColumn('principal_id', text, (c) => c.notNull())
    .addColumn('permission', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('object_permissions_pk', [
      'object_type',
      'object_id',
      'principal_type',
      'principal_id',
    ])
    .execute();
  await schema
    .createIndex('object_permissions_principal')
    .on('object_permissions')
    .columns(['principal_type', 'principal_id'])
    .execute();

  await schema
    .createTable('api_tokens')
    .addColumn('token_id', text, (c) => c.primaryKey())
    .addColumn('user_id', text, (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('workspace', text)
    .addColumn('secret_hash', text, (c) => c.notNull())
    .addColumn('created_time', bigint, (c) => c.notNull())
    .addColumn('expires_time', bigint)
    .addColumn('last_used_time', bigint)
    .addColumn('revoked_time', bigint)
    .execute();
  await schema.createIndex('api_tokens_user').on('api_tokens').columns(['user_id', 'created_time']).execute();

  await schema
    .createTable('sessions')
    .addColumn('session_id', text, (c) => c.primaryKey())
    .addColumn('user_id', text, (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('secret_hash', text, (c) => c.notNull())
    .addColumn('created_time', bigint, (c) => c.notNull())
    .addColumn('expires_time', bigint, (c) => c.notNull())
    .addColumn('last_seen_time', bigint, (c) => c.notNull())
    .execute();
  await schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await schema.createIndex('sessions_expires').on('sessions').column('expires_time').execute();

  await schema
    .createTable('auth_throttle')
    .addColumn('key', text, (c) => c.primaryKey())
    .addColumn('window_start', bigint, (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .execute();

  await schema
    .createTable('audit_events')
    .addColumn('event_id', caps.autoIncrementType, (c) =>
      caps.autoIncrementType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('time', bigint, (c) => c.notNull())
    .addColumn('actor_id', text)
    .addColumn('actor_name', text, (c) => c.notNull())
    .addColumn('action', text, (c) => c.notNull())
    .addColumn('object_type', text, (c) => c.notNull())
    .addColumn('object_id', text, (c) => c.notNull())
    .addColumn('workspace', text)
    .addColumn('before', text)
    .addColumn('after', text)
    .addColumn('request_id', text)
    .addColumn('ip', text)
    .execute();
  // Two indexes only: each one costs every audited write (create-run on SQLite pays ~9 µs per index).
  // By actor and by object are the questions an investigation starts from; the rest (action,
  // workspace, time) read newest-first along the primary key, which is also time order.
  await schema
    .createIndex('audit_events_actor')
    .on('audit_events')
    .columns(['actor_name', 'event_id'])
    .execute();
  await schema
    .createIndex('audit_events_object')
    .on('audit_events')
    .columns(['object_type', 'object_id', 'event_id'])
    .execute();

  // Append-only, enforced by the database itself: no UPDATE, no DELETE.
  if (caps.engine === 'sqlite') {
    for (const operation of ['update', 'delete'] as const) {
      await sql`create trigger ${sql.raw(`audit_events_no_${operation}`)} before ${sql.raw(operation)} on audit_events
        begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
    }
  } else {
    await sql`create function keel_audit_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_events is append-only'; end $$`.execute(db);
    await sql`create trigger audit_events_append_only before update or delete on audit_events
      for each statement execute function keel_audit_append_only()`.execute(db);
    await sql`create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function keel_audit_append_only()`.execute(db);
  }
}
