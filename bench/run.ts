// `npm run bench [tracking|auth|ui ...] [-- --engines sqlite,postgres --runs 10000,100000 --seconds 10 --rounds 30]`
// Prints each figure as a ratio against a baseline measured in the same run on this machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase, type Engine } from '../test/support/databases.js';
import { benchAuthOverhead } from './auth/auth-overhead.js';
import { ms } from './support/stats.js';
import { benchLogBatch } from './tracking/log-batch.js';
import { benchSearchRuns, searchQuery } from './tracking/search-runs.js';
import { benchThroughput } from './tracking/throughput.js';
import { benchUi, type UiResult } from './ui/ui-bench.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engines: { type: 'string', default: 'sqlite,postgres' },
    runs: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '30' },
  },
});
const suites = positionals.length ? positionals : ['tracking'];
const engines = values.engines.split(',') as Engine[];
const runCounts = (values.runs ?? '10000,100000').split(',').map(Number);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

const work = mkdtempSync(join(tmpdir(), 'keel-bench-'));
const line = (text = '') => process.stdout.write(`${text}\n`);

try {
  for (const suite of suites) {
    if (suite === 'auth') {
      await benchAuth();
      continue;
    }
    if (suite === 'ui') {
      await benchUiSuite();
      continue;
    }
    if (suite !== 'tracking')
      throw new Error(`Unknown bench suite '${suite}': available: tracking, auth, ui`);
    line(`# Keel tracking benchmarks (${new Date().toISOString()}, node ${process.version})`);
    for (const engine of engines) {
      line();
      line(`## ${engine}`);
      const makeDatabase = () => createTestDatabase(engine, work, 'keel_bench');

      const db = await makeDatabase();
      try {
        const r = await benchLogBatch(db.uri, join(work, 'artifacts'), rounds);
        line(
          `log-batch, 1000 metrics over HTTP: median ${ms(r.keelMedianMs)} vs ${ms(r.directMedianMs)} inserting the same rows ` +
            `straight into ${engine} in one transaction -> ${r.ratio.toFixed(2)}x the machine's limit (target <= 3x)`,
        );
      } finally {
        await db.drop();
      }

      const searches = [];
      for (const runs of runCounts) {
        const r = await benchSearchRuns(makeDatabase, join(work, 'artifacts'), runs, rounds);
        searches.push(r);
        line(
          `search-runs over ${runs.toLocaleString('en')} runs (filter "${searchQuery.filter}", order "${searchQuery.order_by[0]}", ` +
            `page of ${searchQuery.max_results}): median ${ms(r.medianMs)}, p95 ${ms(r.p95Ms)} (seeded in ${r.seedSeconds.toFixed(0)} s)`,
        );
      }
      if (searches.length >= 2) {
        const first = searches[0]!;
        const last = searches[searches.length - 1]!;
        line(
          `search-runs growth: ${last.runs / first.runs}x the runs -> ${(last.medianMs / first.medianMs).toFixed(2)}x the median latency`,
        );
      }

      const tdb = await makeDatabase();
      try {
        const results = await benchThroughput(tdb.uri, join(work, 'artifacts'), seconds);
        const limit = results[0]!;
        for (const r of results) {
          line(
            `${r.name}, 20 clients: ${Math.round(r.requestsPerSecond).toLocaleString('en')} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms` +
              (r === limit
                ? ''
                : ` (${((100 * r.requestsPerSecond) / limit.requestsPerSecond).toFixed(0)}% of the empty route)`) +
              (r.errors ? `, ${r.errors} errors` : ''),
          );
        }
      } finally {
        await tdb.drop();
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** `npm run bench auth`: requests per second with authentication on vs off (target >= 0.9). */
async function benchAuth(): Promise<void> {
  line(
    `# Keel authentication and authorisation overhead (${new Date().toISOString()}, node ${process.version})`,
  );
  for (const engine of engines) {
    line();
    line(`## ${engine}`);
    const results = await benchAuthOverhead(
      () => createTestDatabase(engine, work, 'keel_bench'),
      join(work, `artifacts-${engine}`),
      seconds,
    );
    for (const r of results) {
      line(
        `${r.name}, 20 clients: ${Math.round(r.onPerSecond).toLocaleString('en')} req/s with auth vs ` +
          `${Math.round(r.offPerSecond).toLocaleString('en')} without -> ${r.ratio.toFixed(2)} (target >= 0.9)` +
          (r.errors ? `, ${r.errors} errors` : ''),
      );
    }
  }
}

/** `npm run bench ui`: the web UI in headless Chromium at each run count (default 1,000 and 100,000). */
async function benchUiSuite(): Promise<void> {
  const counts = (values.runs ?? '1000,100000').split(',').map(Number);
  line(`# Keel web UI benchmarks, headless Chromium (${new Date().toISOString()}, node ${process.version})`);
  for (const engine of engines) {
    line();
    line(`## ${engine}`);
    const results: UiResult[] = [];
    for (const runs of counts) {
      const r = await benchUi(
        () => createTestDatabase(engine, work, 'keel_bench'),
        join(work, `artifacts-ui-${engine}`),
        runs,
        3,
      );
      results.push(r);
      line(
        `${runs.toLocaleString('en')} runs (seeded in ${r.seedSeconds.toFixed(0)} s), medians of 3: ` +
          `first rows ${ms(r.firstRowsMs)}, re-sort by a metric ${ms(r.resortMs)}, ` +
          `scrolling ${r.scrolledRows.toLocaleString('en')} rows ${r.scrollFps.toFixed(1)} fps ` +
          `(a plain page scrolled the same way: ${r.plainScrollFps.toFixed(1)} fps, ${(r.scrollFps / r.plainScrollFps).toFixed(2)}x the machine's limit), ` +
          `1,000,000-point chart drawn ${ms(r.chartMs)} (${r.chartPoints.toLocaleString('en')} points sampled by the server)`,
      );
    }
    if (results.length >= 2) {
      const first = results[0]!;
      const last = results[results.length - 1]!;
      const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
      line(
        `${last.runs / first.runs}x the runs (target: each within 2x, first rows under 1 s): ` +
          `first rows ${ratio(last.firstRowsMs, first.firstRowsMs)} (${ms(last.firstRowsMs)}${last.firstRowsMs < 1000 ? ' < 1 s' : ' >= 1 s, over target'}), ` +
          `re-sort ${ratio(last.resortMs, first.resortMs)}, ` +
          `scroll frame time ${ratio(first.scrollFps, last.scrollFps)}, ` +
          `chart ${ratio(last.chartMs, first.chartMs)}`,
      );
    }
  }
}
