import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KeelClient } from '../../src/sdk/index.js';
import { adminCredentials } from '../support/auth-fixture.js';
import type { TestServer } from '../support/server.js';
import { openSignedInUi, screenshot, type SignedInUi } from './browser.js';

let ui: SignedInUi;
let server: TestServer;
let browser: Browser;
let page: Page;
let experimentId: string;
const metricKeys = 1500;
const key = (index: number) => `m${String(index).padStart(4, '0')}`;

/** Two runs with 1,500 metric keys each: the table draws only the columns on screen. */
async function seed(client: KeelClient): Promise<void> {
  experimentId = await client.experiments.create('column-layout');
  await Promise.all(
    [0, 1].map(async (index) => {
      const run = await client.runs.create({ experimentId, runName: `layout-${index}` });
      await client.runs.logBatch(run.info.runId, {
        metrics: Array.from({ length: metricKeys }, (_, at) => ({
          key: key(at),
          value: at + index,
          step: 0,
        })),
      });
    }),
  );
}

beforeAll(async () => {
  ui = await openSignedInUi({
    seed,
    path: () => `/experiments/${experimentId}/runs`,
  });
  ({ server, browser, page } = ui);
  await page.getByRole('button', { name: `Columns (${metricKeys})` }).waitFor();
}, 60_000);

afterAll(async () => {
  await ui?.close();
});

const header = (target: Page, id: string) => target.locator(`[role=columnheader][title="metrics.${id}"]`);
const handle = (target: Page, id: string) =>
  target.getByRole('separator', { name: `Resize column ${id}`, exact: true });
/** Rendered sizes are fractional, stored widths whole: a pixel either way is the same width. */
const expectNear = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1);
const widthOf = async (separator: Locator) => Number(await separator.getAttribute('aria-valuenow'));

/** The ids of the metric columns drawn, left to right. */
async function drawnMetrics(target: Page): Promise<string[]> {
  const titles = await target
    .locator('[role=columnheader]')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title') ?? ''));
  return titles
    .filter((title) => title.startsWith('metrics.'))
    .map((title) => title.slice('metrics.'.length));
}

/** Until the page's `widths` parameter ends with `tail`. */
const waitForWidths = (tail: string) =>
  page.waitForURL((url) => (url.searchParams.get('widths') ?? '').endsWith(tail));

/** The `widths` entries of the page's URL. */
function urlWidths(target: Page): string[] {
  return (new URL(target.url()).searchParams.get('widths') ?? '').split(',').filter((entry) => entry !== '');
}

/** The rendered width of a column's heading and of its cell in the first row. */
async function renderedWidths(target: Page, id: string): Promise<[number, number]> {
  const heading = header(target, id);
  const colIndex = await heading.getAttribute('aria-colindex');
  const cell = target.locator(`[role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="${colIndex}"]`);
  return [(await heading.boundingBox())!.width, (await cell.boundingBox())!.width];
}

/** The widths of the columns named, and the order of the metric columns drawn, as the page shows them. */
async function layout(target: Page, ids: string[]) {
  const widths: Record<string, number> = {};
  for (const id of ids) widths[id] = await widthOf(handle(target, id));
  return { widths, order: await drawnMetrics(target) };
}

describe('resizing and reordering the runs table columns, with 1,500 metric columns', () => {
  test('a column is resized by dragging its handle; double-click resets it; the URL holds only changed widths', async () => {
    const separator = handle(page, 'm0000');
    const initial = await widthOf(separator);
    expect(initial).toBeGreaterThan(0);
    expect(await separator.getAttribute('aria-orientation')).toBe('vertical');
    expect(new URL(page.url()).searchParams.has('widths')).toBe(false);

    const box = (await separator.boundingBox())!;
    const y = box.y + box.height / 2;
    const x = box.x + box.width / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 30, y, { steps: 3 });
    await page.mouse.move(x + 80, y, { steps: 3 });
    // While dragging, the column follows the pointer, but the URL (one history entry per drag) waits.
    expectNear((await renderedWidths(page, 'm0000'))[0], initial + 80);
    expect(new URL(page.url()).searchParams.has('widths')).toBe(false);
    await page.mouse.up();

    await page.waitForURL(/widths=/);
    const dragged = await widthOf(separator);
    expectNear(dragged, initial + 80);
    expect(urlWidths(page)).toEqual([`metrics.m0000:${dragged}`]);
    // The virtualised cells below take the heading's width, and the next column starts after it.
    const [headingWidth, cellWidth] = await renderedWidths(page, 'm0000');
    expectNear(headingWidth, dragged);
    expectNear(cellWidth, dragged);
    const left = (await header(page, 'm0000').boundingBox())!.x;
    expectNear((await header(page, 'm0001').boundingBox())!.x, left + dragged);

    await separator.dblclick();
    await page.waitForURL((url) => !url.searchParams.has('widths'));
    expect(await widthOf(separator)).toBe(initial);

    // Narrower, for the reload below to find.
    const third = handle(page, 'm0002');
    const thirdBox = (await third.boundingBox())!;
    await page.mouse.move(thirdBox.x + thirdBox.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(thirdBox.x + thirdBox.width / 2 - 40, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForURL(/widths=/);
    expectNear(await widthOf(third), initial - 40);
    expect(urlWidths(page)).toEqual([`metrics.m0002:${await widthOf(third)}`]);
  });

  test('a column is resized from the keyboard on its focused handle, in 16 px steps, without moving the grid cell', async () => {
    const separator = handle(page, 'm0001');
    const initial = await widthOf(separator);
    const grid = page.getByRole('grid');
    const activeBefore = await grid.getAttribute('aria-activedescendant');
    await separator.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    const expected = Math.round(initial + 32);
    await waitForWidths(`,metrics.m0001:${expected}`);
    expect(await widthOf(separator)).toBe(expected);
    expectNear((await renderedWidths(page, 'm0001'))[1], expected);
    expect(await grid.getAttribute('aria-activedescendant')).toBe(activeBefore);

    // Pressed down to the minimum, it stays there.
    for (let press = 0; press < 20; press += 1) await page.keyboard.press('ArrowLeft');
    await waitForWidths(',metrics.m0001:60');
    expect(await widthOf(separator)).toBe(60);
    for (let press = 0; press < 3; press += 1) await page.keyboard.press('ArrowRight');
    await waitForWidths(',metrics.m0001:108');
    expect(urlWidths(page)).toHaveLength(2);
    await screenshot(page, 'runs-columns-resized');
  });

  test('a column is moved by dragging its heading onto another; the link lists the moved columns, then * for the rest', async () => {
    expect(new URL(page.url()).searchParams.has('cols')).toBe(false);
    expect((await drawnMetrics(page)).slice(0, 4)).toEqual(['m0000', 'm0001', 'm0002', 'm0003']);
    await header(page, 'm0003').dragTo(header(page, 'm0001'));
    await page.waitForURL(/cols=/);
    // Only up to the last column out of the default order; `*` stands for the other 1,496 (listing
    // all 1,500 would pass the 16 KB a server reads of a request's head).
    expect(new URL(page.url()).searchParams.get('cols')).toBe('metrics.m0000,metrics.m0003,*');
    expect((await drawnMetrics(page)).slice(0, 4)).toEqual(['m0000', 'm0003', 'm0001', 'm0002']);
    // A width follows its column to its new place.
    expectNear((await renderedWidths(page, 'm0001'))[1], 108);
  });

  test('Alt+Shift+Arrow on a heading moves its column one place, and the active heading moves with it', async () => {
    const grid = page.getByRole('grid');
    await grid.focus();
    await page.keyboard.press('ArrowUp');
    // The run name, then Status, Started, Duration and User; then the first metric column.
    for (let press = 0; press < 5; press += 1) await page.keyboard.press('ArrowRight');
    const active = async () => {
      const id = await grid.getAttribute('aria-activedescendant');
      return id === null ? null : page.locator(`[id="${id}"]`).getAttribute('title');
    };
    expect(await active()).toBe('metrics.m0000');

    await page.keyboard.press('Alt+Shift+ArrowRight');
    await page.keyboard.press('Alt+Shift+ArrowRight');
    await page.waitForURL((url) => (url.searchParams.get('cols') ?? '') === 'metrics.m0003,metrics.m0001,*');
    expect((await drawnMetrics(page)).slice(0, 4)).toEqual(['m0003', 'm0001', 'm0000', 'm0002']);
    expect(await active()).toBe('metrics.m0000');

    // The attribute columns keep their place: the first metric column does not move before them.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await active()).toBe('metrics.m0003');
    const before = page.url();
    await page.keyboard.press('Alt+Shift+ArrowLeft');
    expect(await active()).toBe('metrics.m0003');
    expect(page.url()).toBe(before);
    await screenshot(page, 'runs-columns-reordered');
  });

  test('the URL reopens the same widths and order in another tab, still drawing only the columns on screen', async () => {
    const ids = ['m0000', 'm0001', 'm0002', 'm0003'];
    const shown = await layout(page, ids);
    expect(shown.widths.m0001).toBe(108);
    expect(shown.widths.m0002).toBeLessThan(shown.widths.m0000!);
    const other = await page.context().newPage();
    try {
      expect(page.url().length).toBeLessThan(1000);
      const response = await other.goto(page.url());
      expect(response?.status()).toBe(200);
      await other.getByRole('button', { name: `Columns (${metricKeys})` }).waitFor();
      await handle(other, 'm0000').waitFor();
      expect(await layout(other, ids)).toEqual(shown);
      expect(await other.locator('[role=columnheader]').count()).toBeLessThan(60);
      expect(await other.getByRole('separator').count()).toBeLessThan(60);
    } finally {
      await other.close();
    }
  });

  test('a link with malformed widths opens with those columns at their default width', async () => {
    const url = new URL(`${server.url}/experiments/${experimentId}/runs`);
    url.searchParams.set('widths', 'metrics.m0001:wide,metrics.m0002:5,metrics.m0003:300');
    await page.goto(url.toString());
    await handle(page, 'm0003').waitFor();
    expect(await widthOf(handle(page, 'm0003'))).toBe(300);
    expect(urlWidths(page)).toEqual(['metrics.m0001:wide', 'metrics.m0002:5', 'metrics.m0003:300']);
    // Keys of one length have one default width: m0000 (not in the link) shows it.
    const fallback = await widthOf(handle(page, 'm0000'));
    expect(await widthOf(handle(page, 'm0001'))).toBe(fallback);
    expect(await widthOf(handle(page, 'm0002'))).toBe(fallback);
    expect(fallback).not.toBe(300);
  });
});
