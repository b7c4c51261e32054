import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBlobStore } from '../../src/backends/blob/index.js';
import { migrate, openDatabase, SqlTrackingStore, type SqlDatabase } from '../../src/backends/sql/index.js';
import { GarbageCollector } from '../../src/services/gc/index.js';
import { engines } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { MlflowRest } from './artifact-test-client.js';

const hour = 3_600_000;
const pause = (ms: number) => new Promise((resolveWait) => setTimeout(resolveWait, ms));

describe.each(engines)('garbage collection (%s)', (engine) => {
  let server: TestServer;
  let database: SqlDatabase;
  let gc: GarbageCollector;
  let rest: MlflowRest;

  type RunRef = { runId: string; artifactUri: string; root: string };
  let keptExperiment: string;
  let activeRun: RunRef;
  let lateDeletedRun: RunRef;
  let oldDeletedRun: RunRef;
  let deletedExperiment: string;
  let deletedExperimentRun: RunRef;
  let deletedModelRoot: string;
  let squatter: string;
  let squatterRun: RunRef;
  /** Everything deleted before it is "old": `collect({ olderThanMs: hour, now: cutoff + hour })`. */
  let cutoff: number;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    rest = new MlflowRest(server.url);
    database = openDatabase(server.backendStoreUri);
    await migrate(database.db, database.caps);
    gc = new GarbageCollector({
      store: new SqlTrackingStore(database),
      blobs: openBlobStore(server.artifactsDestination),
    });

    keptExperiment = await rest.createExperiment('gc-kept');
    activeRun = await rest.createRun(keptExperiment);
    lateDeletedRun = await rest.createRun(keptExperiment);
    oldDeletedRun = await rest.createRun(keptExperiment);
    deletedExperiment = await rest.createExperiment('gc-doomed');
    deletedExperimentRun = await rest.createRun(deletedExperiment);
    deletedModelRoot = (await rest.createLoggedModel(deletedExperiment, 'model')).root;
    // An experiment whose location a user pointed into another experiment's folder.
    squatter = await rest.createExperiment('gc-squatter', `mlflow-artifacts:/${keptExperiment}`);
    squatterRun = await rest.createRun(squatter);

    for (const run of [activeRun, lateDeletedRun, squatterRun])
      await rest.upload(`${run.root}/file.txt`, 'x');
    await rest.upload(`${oldDeletedRun.root}/a.txt`, 'a');
    await rest.upload(`${oldDeletedRun.root}/sub/b.txt`, 'b');
    await rest.upload(`${deletedExperimentRun.root}/c.txt`, 'c');
    await rest.upload(`${deletedModelRoot}/MLmodel`, 'm');

    await rest.ok('POST', '/api/2.0/mlflow/runs/delete', { run_id: oldDeletedRun.runId });
    await rest.ok('POST', '/api/2.0/mlflow/experiments/delete', { experiment_id: deletedExperiment });
    await rest.ok('POST', '/api/2.0/mlflow/experiments/delete', { experiment_id: squatter });
    await pause(5);
    cutoff = Date.now();
    await pause(5);
    await rest.ok('POST', '/api/2.0/mlflow/runs/delete', { run_id: lateDeletedRun.runId });
  });
  afterAll(async () => {
    await database?.close();
    await server?.close();
  });

  const exists = (key: string) => existsSync(join(server.artifactsDestination, ...key.split('/')));
  const collect = (dryRun: boolean) => gc.collect({ olderThanMs: hour, now: cutoff + hour, dryRun });

  it('refuses a negative or non-finite age', async () => {
    await expect(gc.collect({ olderThanMs: -1 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(gc.collect({ olderThanMs: Number.NaN })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
  });

  it('a dry run reports what would go and changes nothing', async () => {
    const result = await collect(true);
    expect(result.runIds.sort()).toEqual(
      [oldDeletedRun.runId, deletedExperimentRun.runId, squatterRun.runId].sort(),
    );
    expect(result.experimentIds.sort()).toEqual([deletedExperiment, squatter].sort());
    // a.txt + sub/b.txt, c.txt + the model's MLmodel, and the squatter run's own file.
    expect(result.blobsRemoved).toBe(5);

    const run = await rest.call('GET', `/api/2.0/mlflow/runs/get?run_id=${oldDeletedRun.runId}`);
    expect(run.status).toBe(200);
    expect((run.body.run as { info: { lifecycle_stage: string } }).info.lifecycle_stage).toBe('deleted');
    expect(
      (await rest.call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${deletedExperiment}`)).status,
    ).toBe(200);
    expect(await (await rest.download(`${oldDeletedRun.root}/sub/b.txt`)).text()).toBe('b');
    expect(exists(deletedExperimentRun.root)).toBe(true);
    expect(exists(deletedModelRoot)).toBe(true);
  });

  it('removes old deleted runs and experiments: their rows, then their artifacts', async () => {
    const result = await collect(false);
    expect(result.runIds.sort()).toEqual(
      [oldDeletedRun.runId, deletedExperimentRun.runId, squatterRun.runId].sort(),
    );
    expect(result.experimentIds.sort()).toEqual([deletedExperiment, squatter].sort());
    expect(result.blobsRemoved).toBe(5);

    for (const runId of result.runIds) {
      const answer = await rest.call('GET', `/api/2.0/mlflow/runs/get?run_id=${runId}`);
      expect(answer.status).toBe(404);
      expect(answer.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    }
    for (const experimentId of result.experimentIds) {
      expect(
        (await rest.call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`)).status,
      ).toBe(404);
    }
    expect((await rest.download(`${oldDeletedRun.root}/a.txt`)).status).toBe(404);
    expect(exists(oldDeletedRun.root)).toBe(false);
    expect(exists(deletedExperiment)).toBe(false);
    expect(exists(squatterRun.root)).toBe(false);
  });

  it("keeps active runs, runs deleted after the cutoff, and folders that are not the owner's own", async () => {
    for (const run of [activeRun, lateDeletedRun]) {
      expect((await rest.call('GET', `/api/2.0/mlflow/runs/get?run_id=${run.runId}`)).status).toBe(200);
      expect(await (await rest.download(`${run.root}/file.txt`)).text()).toBe('x');
    }
    // The squatter's location was the kept experiment's folder: only its own run's folder went.
    expect(exists(keptExperiment)).toBe(true);
    expect(
      (await rest.call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${keptExperiment}`)).status,
    ).toBe(200);
  });

  it('frees the names of purged experiments', async () => {
    const reborn = await rest.createExperiment('gc-doomed');
    expect(reborn).not.toBe(deletedExperiment);
    const found = await rest.call('GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=gc-doomed');
    expect((found.body.experiment as { experiment_id: string }).experiment_id).toBe(reborn);
  });

  it('finds nothing more on a second pass', async () => {
    expect(await collect(false)).toEqual({ runIds: [], experimentIds: [], blobsRemoved: 0 });
  });

  it('collects the later deletion once it is old enough', async () => {
    const result = await gc.collect({ olderThanMs: 0, now: Date.now() + 1000 });
    expect(result).toEqual({ runIds: [lateDeletedRun.runId], experimentIds: [], blobsRemoved: 1 });
    expect(exists(lateDeletedRun.root)).toBe(false);
    expect(exists(activeRun.root)).toBe(true);
  });
});
