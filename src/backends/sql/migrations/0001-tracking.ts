import { sql, type Kysely } from 'kysely';
import type { SqlCapabilities } from '../dialect.js';

/** Experiments, runs, metric history, params, tags, dataset inputs and logged models. */
export async function up(db: Kysely<unknown>, caps: SqlCapabilities): Promise<void> {
  const schema = db.schema;
  const text = 'text';
  const bigint = 'bigint';

  await schema
    .createTable('experiments')
    .addColumn('experiment_id', caps.autoIncrementType, (c) =>
      caps.autoIncrementType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('name', text, (c) => c.notNull().unique())
    .addColumn('artifact_location', text, (c) => c.notNull())
    .addColumn('lifecycle_stage', text, (c) => c.notNull())
    .addColumn('creation_time', bigint, (c) => c.notNull())
    .addColumn('last_update_time', bigint, (c) => c.notNull())
    .addColumn('deleted_time', bigint)
    .execute();
  await schema
    .createIndex('experiments_creation')
    .on('experiments')
    .columns(['creation_time', 'experiment_id'])
    .execute();

  await schema
    .createTable('experiment_tags')
    .addColumn('experiment_id', 'integer', (c) =>
      c.notNull().references('experiments.experiment_id').onDelete('cascade'),
    )
    .addColumn('key', text, (c) => c.notNull())
    .addColumn('value', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
    .execute();

  await schema
    .createTable('runs')
    .addColumn('run_uuid', text, (c) => c.primaryKey())
    .addColumn('experiment_id', 'integer', (c) =>
      c.notNull().references('experiments.experiment_id').onDelete('cascade'),
    )
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('user_id', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('start_time', bigint, (c) => c.notNull())
    .addColumn('end_time', bigint)
    .addColumn('lifecycle_stage', text, (c) => c.notNull())
    .addColumn('artifact_uri', text, (c) => c.notNull())
    .addColumn('deleted_time', bigint)
    .execute();
  // The default search order (start_time DESC, run_uuid) within one experiment and stage.
  await schema
    .createIndex('runs_experiment_start')
    .on('runs')
    .columns(['experiment_id', 'lifecycle_stage', 'start_time', 'run_uuid'])
    .execute();

  for (const table of ['metrics', 'latest_metrics'] as const) {
    await schema
      .createTable(table)
      .addColumn('run_uuid', text, (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('timestamp', bigint, (c) => c.notNull())
      .addColumn('step', bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint(
        `${table}_pk`,
        table === 'metrics'
          ? ['run_uuid', 'key', 'step', 'timestamp', 'value', 'is_nan']
          : ['run_uuid', 'key'],
      )
      .execute();
  }
  // Filters and sorts on a metric's latest value walk this index instead of every run.
  await schema
    .createIndex('latest_metrics_key_value')
    .on('latest_metrics')
    .columns(['key', 'is_nan', 'value', 'run_uuid'])
    .execute();

  for (const table of ['params', 'tags'] as const) {
    await schema
      .createTable(table)
      .addColumn('run_uuid', text, (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('value', text, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['run_uuid', 'key'])
      .execute();
    await schema.createIndex(`${table}_key`).on(table).columns(['key', 'run_uuid']).execute();
  }

  await schema
    .createTable('datasets')
    .addColumn('dataset_uuid', text, (c) => c.primaryKey())
    .addColumn('experiment_id', 'integer', (c) =>
      c.notNull().references('experiments.experiment_id').onDelete('cascade'),
    )
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('digest', text, (c) => c.notNull())
    .addColumn('source_type', text, (c) => c.notNull())
    .addColumn('source', text, (c) => c.notNull())
    .addColumn('schema', text)
    .addColumn('profile', text)
    .addUniqueConstraint('datasets_experiment_name_digest', ['experiment_id', 'name', 'digest'])
    .execute();

  await schema
    .createTable('run_dataset_inputs')
    .addColumn('run_uuid', text, (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
    .addColumn('dataset_uuid', text, (c) =>
      c.notNull().references('datasets.dataset_uuid').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('run_dataset_inputs_pk', ['run_uuid', 'dataset_uuid'])
    .execute();
  // Deleting a dataset (purging its experiment) cascades here by dataset_uuid.
  await schema
    .createIndex('run_dataset_inputs_dataset')
    .on('run_dataset_inputs')
    .column('dataset_uuid')
    .execute();
  await schema
    .createTable('run_dataset_input_tags')
    .addColumn('run_uuid', text, (c) => c.notNull())
    .addColumn('dataset_uuid', text, (c) => c.notNull())
    .addColumn('key', text, (c) => c.notNull())
    .addColumn('value', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('run_dataset_input_tags_pk', ['run_uuid', 'dataset_uuid', 'key'])
    .addForeignKeyConstraint(
      'run_dataset_input_tags_input',
      ['run_uuid', 'dataset_uuid'],
      'run_dataset_inputs',
      ['run_uuid', 'dataset_uuid'],
      (c) => c.onDelete('cascade'),
    )
    .execute();

  await schema
    .createTable('logged_models')
    .addColumn('model_id', text, (c) => c.primaryKey())
    .addColumn('experiment_id', 'integer', (c) =>
      c.notNull().references('experiments.experiment_id').onDelete('cascade'),
    )
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('artifact_location', text, (c) => c.notNull())
    .addColumn('creation_timestamp_ms', bigint, (c) => c.notNull())
    .addColumn('last_updated_timestamp_ms', bigint, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('status_message', text)
    .addColumn('model_type', text)
    .addColumn('source_run_id', text)
    .addColumn('lifecycle_stage', text, (c) => c.notNull())
    .addColumn('deleted_time', bigint)
    .execute();
  await schema
    .createIndex('logged_models_experiment')
    .on('logged_models')
    .columns(['experiment_id', 'creation_timestamp_ms', 'model_id'])
    .execute();
  for (const table of ['logged_model_params', 'logged_model_tags'] as const) {
    await schema
      .createTable(table)
      .addColumn('model_id', text, (c) =>
        c.notNull().references('logged_models.model_id').onDelete('cascade'),
      )
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('value', text, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['model_id', 'key'])
      .execute();
  }
  await schema
    .createTable('logged_model_metrics')
    .addColumn('model_id', text, (c) => c.notNull().references('logged_models.model_id').onDelete('cascade'))
    .addColumn('key', text, (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('timestamp', bigint, (c) => c.notNull())
    .addColumn('step', bigint, (c) => c.notNull())
    .addColumn('run_uuid', text, (c) => c.notNull())
    .addColumn('dataset_name', text, (c) => c.notNull().defaultTo(''))
    .addColumn('dataset_digest', text, (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('logged_model_metrics_pk', [
      'model_id',
      'key',
      'step',
      'timestamp',
      'value',
      'is_nan',
      'dataset_name',
      'dataset_digest',
    ])
    .execute();

  await schema
    .createTable('run_model_inputs')
    .addColumn('run_uuid', text, (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
    .addColumn('model_id', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('run_model_inputs_pk', ['run_uuid', 'model_id'])
    .execute();
  await schema
    .createTable('run_model_outputs')
    .addColumn('run_uuid', text, (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
    .addColumn('model_id', text, (c) => c.notNull())
    .addColumn('step', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('run_model_outputs_pk', ['run_uuid', 'model_id'])
    .execute();

  // The Default experiment MLflow clients expect on a new database.
  await sql`insert into experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
    values (0, 'Default', ${'mlflow-artifacts:/0'}, 'active', ${Date.now()}, ${Date.now()})`.execute(db);
}
