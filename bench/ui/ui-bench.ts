import { chromium, type Browser, type Page } from 'playwright-core';
import { startChild } from '../support/child-server.js';
import { seedRuns } from '../support/seed.js';
import { summarize } from '../support/stats.js';
import { seedLongMetric } from './seed-long-metric.js';

export interface UiResult {
  runs: number;
  seedSeconds: number;
  /** Navigation start to the first row of the runs table in the DOM, median. */
  firstRowsMs: number;
  /** URL change (new `sort=-metrics.mK`) to the first row of the new order, median. */
  resortMs: number;
  /** Rows scrolled through (10,000, or every run when there are fewer). */
  scrolledRows: number;
  /** Frames per second while scrolling the grid in steps, median. */
  scrollFps: number;
  /**
   * The machine's limit: frames per second scrolling a plain page (one tall element, no script) the
   * same distance in the same steps, in the same browser, median.
   */
  plainScrollFps: number;
  /** Run page metrics tab: navigation start to the 1,000,000-point metric drawn (server-sampled), median. */
  chartMs: number;
  /** Points the chart drew for the 1,000,000-point history (the server's sample). */
  chartPoints: number;
}

/** Debian's Chromium, as the end-to-end tests drive it. */
const chromiumPath = '/usr/bin/chromium';
const chartPoints = 1_000_000;
const scrollTarget = 10_000;
const rowHeight = 32;

/**
 * Records, from inside the page, when the first runs row and the first chart canvas appear
 * (performance.now(), i.e. milliseconds since navigation start). Plain text: the bench has no DOM types.
 */
const observerScript = `
(() => {
  const marks = (window.__uiBench = {});
  const check = () => {
    if (marks.firstRow === undefined && document.querySelector('[role=grid] [role=row][aria-rowindex="2"]')) {
      marks.firstRow = performance.now();
    }
    // The chart holds its points (the server's sample of the 1,000,000) and its canvas exists:
    // the frame after that one shows the line.
    const chart = document.querySelector('.metric-chart-canvas');
    if (marks.chart === undefined && chart && Number(chart.dataset.points) > 0 && chart.querySelector('canvas')) {
      marks.chartPoints = Number(chart.dataset.points);
      marks.chart = null;
      requestAnimationFrame(() => { marks.chart = performance.now(); });
    }
  };
  new MutationObserver(check).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['data-points'],
  });
})();
`;

/** Changes the URL the way the router follows it, and resolves with the time to the new first row. */
const resortScript = (url: string) => `
new Promise((resolve, reject) => {
  const firstName = () => document.querySelector('[role=grid] [role=row][aria-rowindex="2"] [aria-colindex="2"]')?.textContent ?? null;
  const before = firstName();
  const start = performance.now();
  const observer = new MutationObserver(() => {
    const now = firstName();
    if (now !== null && now !== before) {
      observer.disconnect();
      clearTimeout(timer);
      resolve(performance.now() - start);
    }
  });
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error('no re-sorted row in 60 s')); }, 60000);
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  history.pushState(null, '', ${JSON.stringify(url)});
  dispatchEvent(new PopStateEvent('popstate'));
})
`;

/**
 * Scrolls the grid down one step a frame until row \`rows\` is reached (the grid loads more pages
 * on the way), counting animation frames; resolves with the frame rate.
 */
const scrollScript = (rows: number, stepRows: number) => `
new Promise((resolve, reject) => {
  const grid = document.querySelector('[role=grid]');
  const goal = ${rows * rowHeight} - grid.clientHeight;
  const start = performance.now();
  let frames = 0;
  const frame = () => {
    frames++;
    grid.scrollTop = Math.min(grid.scrollTop + ${stepRows * rowHeight}, goal, grid.scrollHeight - grid.clientHeight);
    const elapsed = performance.now() - start;
    if (grid.scrollTop >= goal - 1) return resolve({ fps: (1000 * frames) / elapsed, seconds: elapsed / 1000 });
    if (elapsed > 300000) return reject(new Error('scrolled only to ' + grid.scrollTop + ' px in 300 s'));
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})
`;

/** A page with one scrolling element as tall as `rows` grid rows: what scrolling costs without the UI. */
const plainScrollPage = (rows: number) =>
  `<div role="grid" style="height: 900px; overflow: auto"><div style="height: ${rows * rowHeight}px; ` +
  `background: repeating-linear-gradient(#fff 0 ${rowHeight - 1}px, #ccc ${rowHeight - 1}px ${rowHeight}px)"></div></div>`;

/**
 * Seeds `runs` runs (20 params, 20 metrics, 10 tags each) and one run with a 1,000,000-point metric
 * into a fresh database, starts a server serving the built UI, and times the UI in headless Chromium.
 */
export async function benchUi(
  makeDatabase: () => Promise<{ uri: string; drop(): Promise<void> }>,
  artifacts: string,
  runs: number,
  repetitions: number,
): Promise<UiResult> {
  const database = await makeDatabase();
  try {
    const seedStart = performance.now();
    const experimentId = await seedRuns(database.uri, runs, `ui-${runs}`);
    const longRunId = await seedLongMetric(database.uri, chartPoints);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const [server, browser] = await Promise.all([
      startChild('server-main', [database.uri, artifacts]),
      launchChromium(),
    ]);
    try {
      const runsUrl = `${server.url}/experiments/${experimentId}/runs`;
      const firstRows: number[] = [];
      const resorts: number[] = [];
      const fps: number[] = [];
      const plainFps: number[] = [];
      const charts: number[] = [];
      let chartPoints = 0;
      const scrolledRows = Math.min(scrollTarget, runs);
      // One warm-up page load (caches the UI's assets and the server's first queries), then the repetitions.
      for (let round = 0; round <= repetitions; round++) {
        const page = await newPage(browser);
        try {
          await page.goto(runsUrl);
          const firstRow = await mark(page, 'firstRow');
          for (let k = 0; k < 2; k++) {
            const metric = `m${1 + ((2 * round + k) % 19)}`;
            const sorted = `${new URL(runsUrl).pathname}?sort=-metrics.${metric}`;
            const resort = (await page.evaluate(resortScript(sorted))) as number;
            if (round > 0) resorts.push(resort);
          }
          if (round > 0) {
            firstRows.push(firstRow);
            const scroll = (await page.evaluate(scrollScript(scrolledRows, 20))) as { fps: number };
            fps.push(scroll.fps);
            await page.setContent(plainScrollPage(scrolledRows));
            const plain = (await page.evaluate(scrollScript(scrolledRows, 20))) as { fps: number };
            plainFps.push(plain.fps);
          }
        } finally {
          await page.context().close();
        }
        const chartPage = await newPage(browser);
        try {
          await chartPage.goto(`${server.url}/runs/${longRunId}?tab=metrics`);
          const chart = await mark(chartPage, 'chart');
          chartPoints = (await chartPage.evaluate('window.__uiBench.chartPoints')) as number;
          if (round > 0) charts.push(chart);
        } finally {
          await chartPage.context().close();
        }
      }
      return {
        runs,
        seedSeconds,
        firstRowsMs: summarize(firstRows).median,
        resortMs: summarize(resorts).median,
        scrolledRows,
        scrollFps: summarize(fps).median,
        plainScrollFps: summarize(plainFps).median,
        chartMs: summarize(charts).median,
        chartPoints,
      };
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page in a context of its own (empty cache and storage, as a first visit); close its context. */
async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.addInitScript(observerScript);
  return page;
}

/** Waits for one of the page's marks and returns it (milliseconds since navigation start). */
async function mark(page: Page, name: 'firstRow' | 'chart'): Promise<number> {
  const handle = await page.waitForFunction(
    `(() => { const v = window.__uiBench && window.__uiBench[${JSON.stringify(name)}]; return typeof v === 'number' ? v : false; })()`,
    undefined,
    { timeout: 120_000, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}
