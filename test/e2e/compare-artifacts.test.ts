import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KeelClient } from '../../src/sdk/index.js';
import { adminCredentials } from '../support/auth-fixture.js';
import type { TestServer } from '../support/server.js';
import { openSignedInUi, screenshot, type SignedInUi } from './browser.js';

let ui: SignedInUi;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let experimentId: string;
const runIds: string[] = [];
/** Forty more runs, each with its own `seed` param: a compare view wider than the screen. */
const manyRunIds: string[] = [];

/** A 1×1 PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const csvRows = 2000;

/**
 * Three runs of `sweep` that share `epochs` and differ in `lr` and `model`, with metrics; the first
 * one has artifacts (uploaded through the artifact proxy): a text file, a JSON, a long CSV, a PNG.
 */
async function seed(client: KeelClient): Promise<void> {
  experimentId = await client.experiments.create('sweep');
  for (const [index, lr] of [0.001, 0.01, 0.1].entries()) {
    const run = await client.runs.create({ experimentId, runName: `sweep-${index}` });
    const runId = run.info.runId;
    runIds.push(runId);
    await client.runs.logBatch(runId, {
      params: { lr: String(lr), model: index === 2 ? 'forest' : 'tree', epochs: 10 },
      metrics: [
        { key: 'loss', value: 0.5 - index * 0.1, step: 0 },
        { key: 'accuracy', value: 0.7 + index * 0.05, step: 0 },
      ],
    });
    await client.runs.terminate(runId, 'FINISHED');
  }
  const many = await client.experiments.create('many');
  manyRunIds.push(
    ...(await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        const run = await client.runs.create({ experimentId: many, runName: `many-${index}` });
        await client.runs.logBatch(run.info.runId, {
          params: { seed: index },
          metrics: [{ key: 'loss', value: 1 / (index + 1), step: 0 }],
        });
        return run.info.runId;
      }),
    )),
  );
  const first = runIds[0]!;
  const csv = [
    'step,loss,note',
    ...Array.from({ length: csvRows }, (_, i) => `${i},${(1 / (i + 1)).toFixed(5)},"a, b"`),
  ];
  await Promise.all([
    client.artifacts.uploadBytes(first, 'notes.txt', 'trained on the full set\n'),
    client.artifacts.uploadBytes(
      first,
      'config/params.json',
      JSON.stringify({ lr: 0.001, layers: [64, 32] }),
    ),
    client.artifacts.uploadBytes(first, 'eval/metrics.csv', `${csv.join('\n')}\n`),
    client.artifacts.uploadBytes(first, 'plots/tiny.png', new Uint8Array(png)),
  ]);
}

beforeAll(async () => {
  ui = await openSignedInUi({
    seed,
    path: () => `/experiments/${experimentId}/runs`,
  });
  ({ server, browser, page } = ui);
  context = page.context();
  await page.getByRole('grid').waitFor();
});

afterAll(async () => {
  await ui?.close();
});

describe('compare and artifacts in Chromium', () => {
  test('selects three runs in the table, compares them, hides equal keys and draws the plots', async () => {
    for (const index of [0, 1, 2]) {
      await page.getByRole('checkbox', { name: `Select run sweep-${index}` }).check();
    }
    await page.getByRole('button', { name: 'Compare (3)' }).click();
    await page.waitForURL(/\/compare\?runs=/);
    expect(new URL(page.url()).searchParams.get('runs')?.split(',').sort()).toEqual([...runIds].sort());
    await page.getByRole('heading', { name: 'Compare 3 runs' }).waitFor();

    const table = page.getByRole('table', { name: 'Params and metrics of the compared runs' });
    await table.getByRole('rowheader', { name: /epochs/ }).waitFor();
    await page.getByText('4 of 5 keys differ; showing 5.').waitFor();
    await page.getByLabel('Hide equal').check();
    await page.waitForURL(/hide=1/);
    await page.getByText('4 of 5 keys differ; showing 4.').waitFor();
    expect(await table.getByRole('rowheader', { name: /epochs/ }).count()).toBe(0);
    await table.getByRole('rowheader', { name: /lr \(differs\)/ }).waitFor();

    const scatter = page.getByTestId('scatter-plot');
    await page.getByLabel('X axis').selectOption('params.lr');
    await page.getByLabel('Y axis').selectOption('metrics.loss');
    await page.getByLabel('Log X').check();
    expect(await scatter.locator('circle').count()).toBe(3);
    expect(await scatter.locator('text').allTextContents()).toContain('lr (param) — log');
    expect(await page.getByTestId('parallel-coordinates').locator('polyline').count()).toBe(3);
    await screenshot(page, 'compare');

    // The view is in the URL: reopening it shows the same choices.
    const shared = page.url();
    await page.goto(shared);
    await page.getByRole('heading', { name: 'Compare 3 runs' }).waitFor();
    expect(await page.getByLabel('Hide equal').isChecked()).toBe(true);
    expect(await page.getByLabel('X axis').inputValue()).toBe('params.lr');
  });

  test('charts a chosen metric with one line per run, named in the legend', async () => {
    await page.goto(`${server.url}/compare?runs=${runIds.join(',')}`);
    await page.getByRole('heading', { name: 'Metric charts' }).waitFor();
    await page.getByLabel('Find a metric to chart').fill('los');
    await page.getByRole('checkbox', { name: 'loss', exact: true }).check();
    await page.waitForURL(/charts=loss/);
    const chart = page.locator('figure.metric-chart').filter({ hasText: 'loss' });
    const labels = chart.locator('.u-legend .u-series .u-label');
    await labels.nth(3).waitFor();
    expect(await labels.allTextContents()).toEqual(['Step', 'sweep-0', 'sweep-1', 'sweep-2']);
    await screenshot(page, 'compare-charts');
  });

  test('forty runs side by side: only the columns on screen are drawn, and scrolling reaches the last', async () => {
    await page.goto(`${server.url}/compare?runs=${manyRunIds.join(',')}`);
    const table = page.getByRole('table', { name: 'Params and metrics of the compared runs' });
    await table.getByRole('columnheader', { name: 'many-0', exact: true }).waitFor();
    expect(await table.getByRole('columnheader').count()).toBeLessThan(15);
    // Scrolled to the right end (again, until the drawn columns follow: a scroll may land before
    // the table listens).
    const last = table.getByRole('columnheader', { name: 'many-39', exact: true });
    for (let attempt = 0; attempt < 20 && (await last.count()) === 0; attempt++) {
      await table.evaluate((element) => {
        element.scrollLeft = element.scrollWidth;
      });
      await page.waitForTimeout(100);
    }
    await table.getByRole('columnheader', { name: 'many-39', exact: true }).waitFor();
    expect(await page.getByTestId('scatter-plot').locator('circle').count()).toBe(40);
  });

  test('too few runs, and a run that does not exist, are explained', async () => {
    await page.goto(`${server.url}/compare?runs=${runIds[0]}`);
    await page.getByRole('alert').filter({ hasText: 'Choose at least two runs to compare' }).waitFor();
    await page.goto(`${server.url}/compare?runs=${runIds[0]},${'f'.repeat(32)}`);
    await page.getByRole('alert').filter({ hasText: 'The runs could not be read' }).waitFor();
  });

  test('browses a run’s artifacts: folders open lazily, CSV as a table read with a Range, JSON pretty, image, download', async () => {
    const ranges: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/get-artifact')) ranges.push(request.headers()['range'] ?? 'none');
    });
    await page.goto(`${server.url}/runs/${runIds[0]}?tab=artifacts`);
    const tree = page.getByRole('navigation', { name: 'Artifact files' });
    await tree.getByRole('button', { name: /notes\.txt/ }).click();
    await page.locator('pre[data-kind=text]').getByText('trained on the full set').waitFor();

    await tree.getByRole('button', { name: 'eval/' }).click();
    await tree.getByRole('button', { name: /metrics\.csv/ }).click();
    await page.waitForURL(/path=eval%2Fmetrics\.csv/);
    const csvTable = page.getByRole('region', { name: 'Table preview' });
    await csvTable.getByRole('columnheader', { name: 'loss' }).waitFor();
    expect(await csvTable.locator('tbody tr').count()).toBe(500);
    await csvTable.getByText('500 rows shown (the file has more').waitFor();
    expect(await csvTable.locator('tbody tr').first().locator('td').allInnerTexts()).toEqual([
      '0',
      '1.00000',
      'a, b',
    ]);
    await screenshot(page, 'artifacts');

    await tree.getByRole('button', { name: 'config/' }).click();
    await tree.getByRole('button', { name: /params\.json/ }).click();
    const json = page.locator('pre[data-kind=json]');
    await json.waitFor();
    expect(await json.innerText()).toContain('"layers": [\n    64,');

    await tree.getByRole('button', { name: 'plots/' }).click();
    await tree.getByRole('button', { name: /tiny\.png/ }).click();
    await page.getByRole('img', { name: 'tiny.png' }).waitFor();
    expect(
      await page
        .getByRole('img', { name: 'tiny.png' })
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBe(1);

    // Every preview asked for a bounded range, never the whole file.
    expect(ranges.length).toBeGreaterThanOrEqual(4);
    expect(ranges.every((range) => /^bytes=0-\d+$/.test(range))).toBe(true);

    // The download link serves the whole file to the signed-in browser.
    const href = await page.getByRole('link', { name: 'Download tiny.png' }).getAttribute('href');
    const download = await context.request.get(href!);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(png)).toBe(true);
  });
});
