import Database from 'better-sqlite3';
import pg from 'pg';
import { startChild } from '../support/child-server.js';
import { createRun, mlflowCall } from '../support/keel-http.js';
import { summarize, timeIt } from '../support/stats.js';

export interface LogBatchResult {
  keelMedianMs: number;
  directMedianMs: number;
  ratio: number;
}

const batchSize = 1000;

function batch(round: number) {
  const base = Date.now();
  return Array.from({ length: batchSize }, (_, i) => ({
    key: `m${i % 50}`,
    value: Math.random(),
    timestamp: base + i,
    step: round * batchSize + i,
  }));
}

/**
 * A 1000-metric log-batch over HTTP against inserting the same 1000 rows straight into the same
 * database in one transaction with the raw driver: the machine's limit for that write.
 */
export async function benchLogBatch(uri: string, artifacts: string, rounds: number): Promise<LogBatchResult> {
  const server = await startChild('server-main', [uri, artifacts]);
  try {
    const { runId } = await createRun(server.url, 'bench-log-batch');
    const { runId: directRunId } = await createRun(server.url, 'bench-direct');
    const keel: number[] = [];
    const direct: number[] = [];
    const insertDirect = await directInserter(uri, directRunId);
    try {
      for (let round = 0; round < rounds + 3; round++) {
        const metrics = batch(round);
        // Alternate the two so that drift on a noisy machine hits both alike.
        const k = await timeIt(() => mlflowCall(server.url, 'runs/log-batch', { run_id: runId, metrics }));
        const d = await timeIt(() => insertDirect(metrics));
        if (round >= 3) {
          keel.push(k);
          direct.push(d);
        }
      }
    } finally {
      await insertDirect.close();
    }
    const keelMedianMs = summarize(keel).median;
    const directMedianMs = summarize(direct).median;
    return { keelMedianMs, directMedianMs, ratio: keelMedianMs / directMedianMs };
  } finally {
    await server.stop();
  }
}

type Row = { key: string; value: number; timestamp: number; step: number };
type Inserter = ((rows: Row[]) => Promise<void>) & { close(): Promise<void> };

async function directInserter(uri: string, runId: string): Promise<Inserter> {
  if (uri.startsWith('sqlite:///')) {
    const db = new Database(uri.slice('sqlite:///'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    const insert = db.prepare(
      'insert into metrics (run_uuid, key, value, is_nan, timestamp, step) values (?, ?, ?, 0, ?, ?) on conflict do nothing',
    );
    const all = db.transaction((rows: Row[]) => {
      for (const r of rows) insert.run(runId, r.key, r.value, r.timestamp, r.step);
    });
    return Object.assign(async (rows: Row[]) => void all(rows), { close: async () => void db.close() });
  }
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  const fn = async (rows: Row[]) => {
    const values: unknown[] = [];
    const tuples = rows.map((r, i) => {
      values.push(runId, r.key, r.value, r.timestamp, r.step);
      const b = i * 5;
      return `($${b + 1}, $${b + 2}, $${b + 3}, 0, $${b + 4}, $${b + 5})`;
    });
    await client.query('begin');
    await client.query(
      `insert into metrics (run_uuid, key, value, is_nan, timestamp, step) values ${tuples.join(',')} on conflict do nothing`,
      values,
    );
    await client.query('commit');
  };
  return Object.assign(fn, { close: () => client.end() });
}
