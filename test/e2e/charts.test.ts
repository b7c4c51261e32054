import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KeelClient } from '../../src/sdk/index.js';
import { adminCredentials } from '../support/auth-fixture.js';
import type { TestServer } from '../support/server.js';
import { openSignedInUi, screenshot, type SignedInUi } from './browser.js';

let ui: SignedInUi;
let server: TestServer;
let browser: Browser;
let page: Page;
let runId: string;
const steps = 50_000;
const chunk = 1000;

/** One run with a 50,000-step `loss` (logged 1,000 points a batch, a few batches at a time) and `lr`. */
async function seed(client: KeelClient): Promise<void> {
  const experimentId = await client.experiments.create('long-training');
  const start = Date.UTC(2026, 0, 5, 9, 0, 0);
  const run = await client.runs.create({ experimentId, runName: 'long-run', startTime: start });
  runId = run.info.runId;
  const chunks = Array.from({ length: steps / chunk }, (_, index) => index);
  const send = async (index: number) =>
    client.runs.logBatch(runId, {
      metrics: Array.from({ length: chunk }, (_, offset) => {
        const step = index * chunk + offset;
        return { key: 'loss', value: 2 / (1 + step / 500) + 0.01, step, timestamp: start + step * 100 };
      }),
    });
  for (let at = 0; at < chunks.length; at += 5) await Promise.all(chunks.slice(at, at + 5).map(send));
  await client.runs.logBatch(runId, {
    metrics: [0, 1].map((step) => ({ key: 'lr', value: 0.1 / (step + 1), step, timestamp: start + step })),
  });
  await client.runs.terminate(runId, 'FINISHED', start + steps * 100);
}

/** The step ranges the page asked `get-history-bulk-interval` for (`null`: the whole history). */
const asked: ({ start: number; end: number } | null)[] = [];

/** The chart status line: the steps shown and the points drawn. */
async function status(): Promise<{ start: number; end: number; points: number; all: boolean }> {
  const text = (await page.getByRole('status').filter({ hasText: 'points drawn' }).innerText()).replace(
    /[,\u202f\u00a0]/g,
    '',
  );
  const match = /(\d+)–(\d+)\D+(\d+) points drawn/.exec(text);
  if (!match) throw new Error(`unexpected chart status: ${text}`);
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    points: Number(match[3]),
    all: text.startsWith('All'),
  };
}

beforeAll(async () => {
  ui = await openSignedInUi({
    seed,
    path: () => `/runs/${runId}?tab=metrics`,
    height: 1000,
    onPage: (opened) =>
      opened.on('request', (request) => {
        if (!request.url().includes('/get-history-bulk-interval')) return;
        const query = new URL(request.url()).searchParams;
        if (query.get('metric_key') !== 'loss' || query.get('max_results') !== '2000') return;
        const start = query.get('start_step');
        asked.push(start === null ? null : { start: Number(start), end: Number(query.get('end_step')) });
      }),
  });
  ({ server, browser, page } = ui);
}, 60_000);

afterAll(async () => {
  await ui?.close();
});

describe('metric charts in Chromium', () => {
  test('draws a 50,000-step history from sampled points; wall time, log scale, drag zoom and reset', async () => {
    const chart = page.locator('.metric-chart').first();
    await chart.locator('canvas').waitFor();
    await chart.locator('.u-legend').getByText('loss', { exact: true }).waitFor();
    await page.getByText(/All steps \(0–49.?999\)/).waitFor();
    let shown = await status();
    expect(shown).toMatchObject({ start: 0, end: steps - 1, all: true });
    expect(shown.points).toBeLessThanOrEqual(2000);
    expect(shown.points).toBeGreaterThan(1000);
    expect(asked).toEqual([null]);
    expect(await page.getByRole('status').filter({ hasText: 'points drawn' }).innerText()).toContain(
      '(sampled by the server)',
    );
    // The metrics table below has a sparkline per metric.
    await page.getByRole('img', { name: /History of loss, \d+ points/ }).waitFor();

    await page.getByLabel('X axis').selectOption('wall');
    await chart.locator('.u-legend').getByText('Wall time').waitFor();
    await page.getByLabel('Log scale').check();
    await chart.locator('figcaption').getByText('by wall time · log scale').waitFor();

    // Drag over about a fifth of the plot: the page asks for those steps only.
    const box = (await chart.locator('.u-over').boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, y, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 4 });
    await page.mouse.up();
    await page.getByText(/^Steps \d/).waitFor();
    await expect.poll(() => asked.length).toBe(2);
    const zoom = asked[1]!;
    expect(zoom.start).toBeGreaterThan(steps * 0.25);
    expect(zoom.end).toBeLessThan(steps * 0.55);
    expect(zoom.end - zoom.start).toBeGreaterThan(steps * 0.15);
    await expect.poll(async () => (await status()).start).toBe(zoom.start);
    shown = await status();
    expect(shown.end).toBe(zoom.end);

    // Zoomed in with the keyboard until the range fits: every step is drawn (full resolution).
    await chart.getByRole('img').focus();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('+');
    await expect.poll(() => asked.length).toBe(5);
    const close = asked[4]!;
    expect(close.end - close.start).toBeLessThan(2000);
    await expect.poll(async () => (await status()).points).toBe(close.end - close.start + 1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => asked.at(-1)!.start).toBeGreaterThan(close.start);
    await screenshot(page, 'metric-chart');

    // The view is in the URL: back undoes the pan, and the link reopens the same chart.
    const panned = asked.at(-1)!;
    await expect
      .poll(() => new URL(page.url()).searchParams.get('steps'))
      .toBe(`${panned.start}-${panned.end}`);
    expect(new URL(page.url()).searchParams.get('x')).toBe('wall');
    expect(new URL(page.url()).searchParams.get('log')).toBe('1');
    await page.goBack();
    await expect.poll(async () => (await status()).start).toBe(close.start);
    await page.goForward();
    const shared = page.url();
    const other = await page.context().newPage();
    try {
      await other.goto(shared);
      await other.getByText(/^Steps \d/).waitFor();
      expect(await other.getByLabel('X axis').inputValue()).toBe('wall');
      expect(await other.getByLabel('Log scale').isChecked()).toBe(true);
    } finally {
      await other.close();
    }

    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await page.getByText(/All steps \(0–49.?999\)/).waitFor();
    expect((await status()).all).toBe(true);
    expect(await page.getByRole('button', { name: 'Reset zoom' }).isDisabled()).toBe(true);
  });

  test('several metrics on one chart, with smoothing', async () => {
    await page.getByRole('checkbox', { name: 'lr' }).check();
    expect(await page.locator('.metric-chart').count()).toBe(2);
    await page.getByLabel('One chart for all').check();
    const chart = page.locator('.metric-chart');
    await expect.poll(() => chart.count()).toBe(1);
    await chart.locator('.u-legend').getByText('lr', { exact: true }).waitFor();
    await chart.locator('.u-legend').getByText('loss', { exact: true }).waitFor();
    await page.getByLabel('Smoothing').fill('0.9');
    await chart.locator('.u-legend').getByText('loss (raw)').waitFor();
    await screenshot(page, 'metric-chart-combined');
  });
});
