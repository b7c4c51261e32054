import { startChild } from '../support/child-server.js';
import { mlflowCall } from '../support/keel-http.js';
import { seedRuns } from '../support/seed.js';
import { summarize, timeIt } from '../support/stats.js';

export interface SearchResult {
  runs: number;
  seedSeconds: number;
  medianMs: number;
  p95Ms: number;
  hits: number;
}

export const searchQuery = {
  filter: 'metrics.m0 > 0.5',
  order_by: ['metrics.m1 DESC'],
  max_results: 100,
};

/**
 * Seeds `runs` runs (20 params, 20 metrics, 10 tags each) into a fresh database, then times
 * search-runs with a metric filter and a metric order over HTTP.
 */
export async function benchSearchRuns(
  makeDatabase: () => Promise<{ uri: string; drop(): Promise<void> }>,
  artifacts: string,
  runs: number,
  rounds: number,
): Promise<SearchResult> {
  const database = await makeDatabase();
  try {
    const seedStart = performance.now();
    const experimentId = await seedRuns(database.uri, runs, `search-${runs}`);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const server = await startChild('server-main', [database.uri, artifacts]);
    try {
      const body = { experiment_ids: [experimentId], ...searchQuery };
      let hits = 0;
      const samples: number[] = [];
      for (let round = 0; round < rounds + 3; round++) {
        const elapsed = await timeIt(async () => {
          const result = await mlflowCall<{ runs?: unknown[] }>(server.url, 'runs/search', body);
          hits = result.runs?.length ?? 0;
        });
        if (round >= 3) samples.push(elapsed);
      }
      if (hits !== searchQuery.max_results)
        throw new Error(`search returned ${hits} runs, expected a full page`);
      const { median, p95 } = summarize(samples);
      return { runs, seedSeconds, medianMs: median, p95Ms: p95, hits };
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}
