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
let artifactRunId: string;
let wideRunId: string;
const metricKeys = 3000;
const paramKeys = 2000;
const key = (prefix: string, index: number) => `${prefix}${String(index).padStart(4, '0')}`;

/** Metric keys whose sparkline history the page asked for (`get-history-bulk-interval`, 100 points). */
const sparklineKeys: string[] = [];

/**
 * One run with nested artifacts (`config/`, `eval/deep/`, files at each level), and one run with
 * 3,000 metric keys (two steps each, so each has a sparkline) and 2,000 params.
 */
async function seed(client: KeelClient): Promise<void> {
  const experimentId = await client.experiments.create('run-page-keys');
  const artifacts = await client.runs.create({ experimentId, runName: 'with-artifacts' });
  artifactRunId = artifacts.info.runId;
  await Promise.all([
    client.artifacts.uploadBytes(artifactRunId, 'config/params.json', JSON.stringify({ lr: 0.1 })),
    client.artifacts.uploadBytes(artifactRunId, 'eval/deep/trace.txt', 'deep trace\n'),
    client.artifacts.uploadBytes(artifactRunId, 'eval/metrics.csv', 'step,loss\n0,1\n1,0.5\n'),
    client.artifacts.uploadBytes(artifactRunId, 'notes.txt', 'trained on the full set\n'),
    client.artifacts.uploadBytes(artifactRunId, 'readme.md', '# readme\n'),
  ]);
  const wide = await client.runs.create({ experimentId, runName: 'thousands-of-keys' });
  wideRunId = wide.info.runId;
  await client.runs.logBatch(wideRunId, {
    params: Object.fromEntries(Array.from({ length: paramKeys }, (_, i) => [key('p', i), `value-${i}`])),
    metrics: Array.from({ length: metricKeys }, (_, i) =>
      [0, 1].map((step) => ({ key: key('m', i), value: i + step, step })),
    ).flat(),
  });
}

/** What has the keyboard focus: its role, its name (the label it points at) and tree state. */
async function focused() {
  const element = page.locator(':focus');
  const [role, labelId, level, expanded] = await Promise.all(
    ['role', 'aria-labelledby', 'aria-level', 'aria-expanded'].map((name) => element.getAttribute(name)),
  );
  const label = labelId === null ? element : page.locator(`[id="${labelId}"]`);
  // The folder's ▸/▾ is hidden from assistive technology, so it is not part of the name.
  const name = (await label.innerText()).replace(/^[▸▾]\s*/, '').trim();
  return { role, name, level, expanded };
}

beforeAll(async () => {
  ui = await openSignedInUi({
    seed,
    path: () => `/runs/${artifactRunId}?tab=artifacts`,
    onPage: (opened) =>
      opened.on('request', (request) => {
        if (!request.url().includes('/get-history-bulk-interval')) return;
        const query = new URL(request.url()).searchParams;
        if (query.get('max_results') === '100') sparklineKeys.push(query.get('metric_key') ?? '');
      }),
  });
  ({ server, browser, page } = ui);
}, 60_000);

afterAll(async () => {
  await ui?.close();
});

describe('the run page with the keyboard and with thousands of keys', () => {
  test('walks the artifact tree with the keyboard only: open, enter, preview, back, Home, End, type-ahead', async () => {
    const tree = page.getByRole('tree', { name: 'Artifacts' });
    await tree.getByRole('treeitem').first().waitFor();
    // One tab stop for the whole tree.
    expect(await tree.locator('[role="treeitem"][tabindex="0"]').count()).toBe(1);
    expect(await tree.getByRole('treeitem').count()).toBe(4);

    // From the selected tab, Tab enters the tree on its first item.
    await page.getByRole('tab', { name: 'Artifacts' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ role: 'treeitem', name: 'config/', level: '1', expanded: 'false' });
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toMatchObject({ name: 'eval/', expanded: 'false' });

    // Right opens the folder (read when opened), Right again moves to its first entry.
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toMatchObject({ name: 'eval/', expanded: 'true' });
    const group = tree.getByRole('group');
    await group.getByRole('treeitem').first().waitFor();
    expect(await group.getByRole('treeitem').count()).toBe(2);
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toMatchObject({ name: 'deep/', level: '2', expanded: 'false' });
    const deep = tree.getByRole('treeitem', { name: 'deep/' });
    expect(await deep.getAttribute('aria-posinset')).toBe('1');
    expect(await deep.getAttribute('aria-setsize')).toBe('2');

    // Down to the CSV, Enter previews it; the focus stays in the tree.
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toMatchObject({ role: 'treeitem', level: '2' });
    expect((await focused()).name).toMatch(/^metrics\.csv/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/path=eval%2Fmetrics\.csv/);
    await page
      .getByRole('region', { name: 'Table preview' })
      .getByRole('columnheader', { name: 'loss' })
      .waitFor();
    expect(await tree.getByRole('treeitem', { name: /metrics\.csv/ }).getAttribute('aria-selected')).toBe(
      'true',
    );
    expect((await focused()).name).toMatch(/^metrics\.csv/);

    // The focus ring shows on the focused item's row, in the focus colour.
    const ring = await page.evaluate<{ style: string; width: string; color: string }>(
      `(() => {
        const style = getComputedStyle(document.activeElement.firstElementChild);
        return { style: style.outlineStyle, width: style.outlineWidth, color: style.outlineColor };
      })()`,
    );
    expect(ring).toEqual({ style: 'solid', width: '3px', color: 'rgb(10, 88, 176)' });
    await screenshot(page, 'artifact-tree-keyboard');

    // Left goes back to the parent, Left again closes it.
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toMatchObject({ name: 'eval/', level: '1', expanded: 'true' });
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toMatchObject({ name: 'eval/', expanded: 'false' });
    expect(await tree.getByRole('group').count()).toBe(0);

    // End and Home; Left on a top-level file stays put.
    await page.keyboard.press('End');
    expect((await focused()).name).toMatch(/^readme\.md/);
    await page.keyboard.press('ArrowLeft');
    expect((await focused()).name).toMatch(/^readme\.md/);
    await page.keyboard.press('Home');
    expect(await focused()).toMatchObject({ name: 'config/' });

    // Type-ahead by first letter, then Space previews the file.
    await page.keyboard.press('n');
    expect((await focused()).name).toMatch(/^notes\.txt/);
    await page.keyboard.press(' ');
    await page.waitForURL(/path=notes\.txt/);
    await page.locator('pre[data-kind=text]').getByText('trained on the full set').waitFor();

    // Tab leaves the tree in one press; Shift+Tab comes back to the same item.
    await page.keyboard.press('Tab');
    expect((await focused()).role).not.toBe('treeitem');
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).name).toMatch(/^notes\.txt/);
  });

  test('3,000 metrics: few rows drawn, the last one reachable, search finds a key, sparklines only on screen', async () => {
    await page.goto(`${server.url}/runs/${wideRunId}?tab=metrics`);
    const table = page.getByRole('table', { name: 'Metrics (latest value)' });
    await table.getByRole('rowheader', { name: 'm0000', exact: true }).waitFor();
    expect(await table.getAttribute('aria-rowcount')).toBe(String(metricKeys + 1));
    const drawn = await table.getByRole('row').count();
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(100);
    await table.getByRole('img', { name: /History of m0000, 2 points/ }).waitFor();
    await page.waitForTimeout(500);
    const firstScreen = sparklineKeys.length;
    expect(firstScreen).toBeGreaterThan(0);
    expect(firstScreen).toBeLessThan(drawn);

    // Scrolled to the end (again, until the drawn rows follow and stay there: a scroll may land
    // before the table listens, and rows drawn there are measured).
    const last = table.getByRole('rowheader', { name: key('m', metricKeys - 1), exact: true });
    const atEnd = () =>
      table.evaluate((element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 1);
    for (let attempt = 0; attempt < 20 && ((await last.count()) === 0 || !(await atEnd())); attempt++) {
      await table.evaluate((element) => {
        element.scrollTop = element.scrollHeight;
      });
      await page.waitForTimeout(100);
    }
    await last.waitFor();
    const lastRow = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: key('m', metricKeys - 1), exact: true }) });
    expect(await lastRow.getAttribute('aria-rowindex')).toBe(String(metricKeys + 1));
    // The page itself scrolls too (the charts are above the table): the last row comes into view.
    await last.scrollIntoViewIfNeeded();
    await table.getByRole('img', { name: new RegExp(`History of ${key('m', metricKeys - 1)},`) }).waitFor();
    expect(await table.getByRole('row').count()).toBeLessThan(100);
    await screenshot(page, 'run-metrics-virtualised');

    // Searching narrows the keys to one row (and reads its sparkline).
    await page.getByLabel('Search metrics').fill('m1234');
    await table.getByRole('rowheader', { name: 'm1234', exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: '1 of 3000 keys match' }).waitFor();
    expect(await table.getByRole('row').count()).toBe(2);
    expect(await table.getAttribute('aria-rowcount')).toBe('2');
    await table.getByRole('img', { name: /History of m1234, 2 points/ }).waitFor();

    // Only the rows that were on screen asked for their history: two screens and the search.
    expect(sparklineKeys.length).toBeLessThan(60);
    expect(new Set(sparklineKeys).size).toBe(sparklineKeys.length);
    expect(sparklineKeys).toContain('m1234');
    expect(sparklineKeys).not.toContain('m1500');
    expect(sparklineKeys.filter((name) => name > 'm0100' && name < 'm2900')).toEqual(['m1234']);
  });

  test('2,000 params: the table is virtualised and searchable too', async () => {
    await page.goto(`${server.url}/runs/${wideRunId}?tab=params`);
    const table = page.getByRole('table', { name: 'Parameters' });
    await table.getByRole('rowheader', { name: 'p0000', exact: true }).waitFor();
    expect(await table.getAttribute('aria-rowcount')).toBe(String(paramKeys + 1));
    expect(await table.getByRole('row').count()).toBeLessThan(100);
    await page.getByLabel('Search parameters').fill('p1999');
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'p1999' }) });
    await row.waitFor();
    expect(await row.getByRole('cell').innerText()).toBe('value-1999');
    await page.getByLabel('Search parameters').fill('nothing-like-this');
    await page.getByText('No key matches “nothing-like-this”.').waitFor();
    expect(await table.getByRole('row').count()).toBe(1);
  });
});
