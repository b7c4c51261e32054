import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KeelClient } from '../../src/sdk/index.js';
import { adminCredentials } from '../support/auth-fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { launchChromium, requireBuiltUi, screenshot } from './browser.js';
import { seedTracking, type Seeded } from './seed.js';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let seeded: Seeded;

beforeAll(async () => {
  requireBuiltUi();
  [server, browser] = await Promise.all([
    startTestServer({ webUi: true, auth: { admin: adminCredentials } }),
    launchChromium(),
  ]);
  seeded = await seedTracking({ trackingUri: server.url, ...adminCredentials, maxRetries: 0 });
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const runsUrl = (experimentId: string, search = '') =>
  `${server.url}/experiments/${experimentId}/runs${search ? `?${search}` : ''}`;

/** The run names in the table, top to bottom, as far as they are drawn. */
async function runNames(target: Page = page): Promise<string[]> {
  return target.locator('[role=row] .name-cell').allInnerTexts();
}

describe('the web UI in Chromium, with authentication on', () => {
  test('a shared link opens on the login page and shows its view once signed in; a wrong password is said at the form', async () => {
    const filter = "params.model = 'tree'";
    await page.goto(runsUrl(seeded.churnId, `filter=${encodeURIComponent(filter)}&sort=metrics.loss`));
    await page.getByRole('heading', { name: 'Sign in to Keel' }).waitFor();
    await screenshot(page, 'login');

    await page.getByLabel('Username').fill(adminCredentials.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid username or password.' }).waitFor();

    await page.getByLabel('Password').fill(adminCredentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('grid').waitFor();
    expect(page.url()).toContain(`/experiments/${seeded.churnId}/runs`);
    expect(await page.getByLabel('Filter runs').inputValue()).toBe(filter);
    await page.getByText('11 runs loaded, 1 running (updating live)').waitFor();

    const tree = seeded.churnRuns.filter((run) => run.model === 'tree').sort((a, b) => a.loss - b.loss);
    const names = await runNames();
    expect(names.slice(0, 3)).toEqual(tree.slice(0, 3).map((run) => run.name));
    expect(await page.getByRole('columnheader', { name: /loss/ }).first().getAttribute('aria-sort')).toBe(
      'ascending',
    );
    await screenshot(page, 'runs-table');
  });

  test('the user menu shows who is signed in and the workspace, and switches workspace', async () => {
    const menu = page.locator('summary').first();
    await menu.click();
    await page.getByText(`Signed in as ${adminCredentials.username}`).waitFor();
    const workspace = page.getByLabel('Workspace', { exact: true });
    expect(await workspace.inputValue()).toBe('default');
    await workspace.selectOption('research');
    await page.goto(`${server.url}/experiments`);
    await page.getByRole('link', { name: 'in-research' }).waitFor();
    expect(await page.getByRole('link', { name: 'churn' }).count()).toBe(0);
    expect(await menu.innerText()).toContain('research');
    await menu.click();
    await page.getByLabel('Workspace', { exact: true }).selectOption('default');
    await page.getByRole('link', { name: 'churn' }).waitFor();
  });

  test('finds a run by filter and sorts by a metric with the header (server-side)', async () => {
    await page.goto(runsUrl(seeded.churnId));
    await page.getByRole('grid').waitFor();
    await page.getByLabel('Filter runs').fill("metrics.loss < 0.2 AND params.model = 'linear'");
    await page.getByLabel('Filter runs').press('Enter');
    await page.waitForURL(/filter=/);
    const expected = seeded.churnRuns.filter((run) => run.loss < 0.2 && run.model === 'linear');
    await page.getByText(`${expected.length} runs loaded`).waitFor();

    await page.getByLabel('Filter runs').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('31 runs loaded').waitFor();
    const accuracy = page.getByRole('columnheader', { name: /accuracy/ }).getByRole('button');
    await accuracy.click();
    await page.waitForURL(/sort=metrics\.accuracy/);
    await accuracy.click();
    await page.waitForURL(/sort=-metrics\.accuracy/);
    const best = [...seeded.churnRuns].sort((a, b) => a.loss - b.loss)[0]!;
    // The page's own DOM, read in the page: the first run drawn is the most accurate one.
    await page.waitForFunction(
      `document.querySelector('[role=row] .name-cell')?.textContent === ${JSON.stringify(best.name)}`,
    );
  });

  test('chooses columns from a searchable list; the choice is in the URL', async () => {
    await page.getByRole('button', { name: /^Columns/ }).click();
    await page.getByLabel('Find a metric, param or tag').fill('acc');
    await page.getByRole('button', { name: 'Hide matching' }).click();
    await page.waitForURL(/cols=/);
    expect(new URL(page.url()).searchParams.get('cols')).not.toContain('metrics.accuracy');
    await page.getByLabel('Find a metric, param or tag').fill('team');
    await page.getByRole('checkbox', { name: /team/ }).check();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('columnheader', { name: /team/ }).waitFor();
    expect(await page.getByRole('columnheader', { name: /accuracy/ }).count()).toBe(0);
    await screenshot(page, 'runs-columns');
  });

  test('a shared URL reopens the same view in another tab', async () => {
    const shared = page.url();
    const other = await context.newPage();
    try {
      await other.goto(shared);
      await other.getByRole('grid').waitFor();
      expect(await other.getByRole('columnheader', { name: /accuracy/ }).count()).toBe(0);
      await other.getByRole('columnheader', { name: /team/ }).waitFor();
      expect(await runNames(other)).toEqual((await runNames()).slice(0, (await runNames(other)).length));
    } finally {
      await other.close();
    }
  });

  test('opens a run with the keyboard; the back button returns to the table as it was', async () => {
    const tableUrl = page.url();
    const grid = page.getByRole('grid');
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    const first = (await runNames())[0]!;
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/runs\/[0-9a-f]{32}$/);
    await page.getByText('Git commit').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain(first);
    await screenshot(page, 'run-overview');
    await page.getByRole('tab', { name: 'Parameters' }).click();
    await page.waitForURL(/tab=params/);
    await page.getByRole('rowheader', { name: 'learning_rate' }).waitFor();
    await page.goBack();
    await page.goBack();
    await page.waitForURL(tableUrl);
    await page.getByRole('grid').waitFor();
  });

  test('an invalid filter shows the server’s syntax error under the input', async () => {
    await page.goto(runsUrl(seeded.churnId));
    await page.getByLabel('Filter runs').fill('metrics.loss <<< 1');
    await page.getByLabel('Filter runs').press('Enter');
    const error = page.locator('.filter-form [role=alert]');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/loss|operator|expected/i);
    expect(await page.getByLabel('Filter runs').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'runs-invalid-filter');
  });

  test('a deleted experiment and an unknown run are explained, not blank', async () => {
    await page.goto(runsUrl(seeded.deletedId));
    await page.getByText('The experiment “retired” is deleted').waitFor();
    await page.goto(`${server.url}/runs/${'f'.repeat(32)}`);
    await page.getByRole('heading', { name: /Not found/ }).waitFor();
    await screenshot(page, 'run-not-found');
    await page.goto(`${server.url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });

  test('thousands of metric columns: only the cells on screen exist, and End reaches the last one', async () => {
    await page.goto(runsUrl(seeded.wideId));
    await page.getByRole('grid').waitFor();
    await page.getByRole('button', { name: 'Columns (1500)' }).waitFor();
    expect(await page.locator('[role=columnheader]').count()).toBeLessThan(60);
    await page.getByRole('grid').focus();
    await page.keyboard.press('End');
    await page.getByRole('columnheader', { name: /m1499/ }).waitFor();
    expect(await page.locator('[role=gridcell]').count()).toBeLessThan(200);
  });

  test('experiments: search, create, rename, tag, delete and restore', async () => {
    await page.goto(`${server.url}/experiments`);
    await page.getByRole('link', { name: 'churn' }).waitFor();
    await screenshot(page, 'experiments');
    await page.getByLabel('Search by name').fill('chu');
    await page.getByLabel('Search by name').press('Enter');
    await page.waitForURL(/q=chu/);
    await page.getByRole('link', { name: 'wide' }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'New experiment' }).click();
    await page.getByLabel('Name', { exact: true }).fill('made-in-ui');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/experiments\/\d+\/runs/);
    await page.getByRole('heading', { name: 'Log your first run' }).waitFor();
    expect(await page.locator('pre').first().innerText()).toContain(server.url);
    await screenshot(page, 'runs-empty');

    await page.goto(`${server.url}/experiments`);
    await page.getByRole('button', { name: 'Rename made-in-ui' }).click();
    await page.getByLabel('New name for made-in-ui').fill('renamed-in-ui');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('link', { name: 'renamed-in-ui' }).waitFor();

    const row = page.getByRole('row').filter({ hasText: 'renamed-in-ui' });
    await row.getByRole('button', { name: 'Add tags' }).click();
    await page.getByLabel('Tag', { exact: true }).fill('owner');
    await page.getByLabel('Value', { exact: true }).fill('ui-test');
    await page.getByRole('button', { name: 'Set tag' }).click();
    await row.getByRole('button', { name: 'owner=ui-test' }).waitFor();

    await page.getByRole('button', { name: 'Delete renamed-in-ui' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('link', { name: 'renamed-in-ui' }).waitFor({ state: 'detached' });
    await page.getByLabel('Show').selectOption('deleted');
    await page.waitForURL(/view=deleted/);
    await page
      .getByRole('row')
      .filter({ hasText: 'renamed-in-ui' })
      .getByRole('button', { name: 'Restore' })
      .click();
    await page.getByRole('row').filter({ hasText: 'renamed-in-ui' }).waitFor({ state: 'detached' });
    await page.goBack();
    await page.getByRole('link', { name: 'renamed-in-ui' }).waitFor();
  });

  test('groups runs by a param, each group in one piece, and folds a group', async () => {
    await page.goto(runsUrl(seeded.churnId));
    await page.getByLabel('Group by').selectOption('params.model');
    await page.waitForURL(/group=params\.model/);
    const groups = page.locator('.group-cell');
    await groups.first().waitFor();
    const headings = (await groups.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(headings).toEqual(['▾ forest (10 loaded)', '▾ linear (10 loaded)', '▾ tree (11 loaded)']);
    await groups.first().click();
    await page.getByText('31 runs loaded').waitFor();
    expect(await runNames()).not.toContain(seeded.churnRuns.find((run) => run.model === 'forest')!.name);
    await screenshot(page, 'runs-grouped');
  });

  test('bulk delete and restore of selected runs', async () => {
    await page.goto(runsUrl(seeded.churnId, `filter=${encodeURIComponent("params.model = 'forest'")}`));
    await page.getByText('10 runs loaded').waitFor();
    await page.getByRole('checkbox', { name: 'Select all loaded runs' }).check();
    await page.getByRole('button', { name: 'Delete selected (10)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No run matches this filter.').waitFor();
    await page.getByLabel('Show').selectOption('DELETED_ONLY');
    await page.getByText('10 runs loaded').waitFor();
    await page.getByRole('checkbox', { name: 'Select all loaded runs' }).check();
    await page.getByRole('button', { name: 'Restore selected (10)' }).click();
    await page.getByText('No run matches this filter.').waitFor();
  });

  test('a lost connection is shown, and goes away when the server answers again', async () => {
    await page.goto(runsUrl(seeded.churnId));
    await page.getByRole('grid').waitFor();
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('Connection lost.').waitFor({ timeout: 20_000 });
    await screenshot(page, 'connection-lost');
    await page.unroute('**/api/**');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('Connection lost.').waitFor({ state: 'detached' });
  });

  test('running runs update live: a new run is announced, a finished one changes status without a reload', async () => {
    const client = new KeelClient({ trackingUri: server.url, ...adminCredentials, maxRetries: 0 });
    await page.goto(runsUrl(seeded.churnId));
    await page.getByText('31 runs loaded, 1 running (updating live)').waitFor();
    const late = await client.runs.create({ experimentId: seeded.churnId, runName: 'late-start' });
    await page.getByText('1 new running run since this list loaded.').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Show them' }).click();
    await page.getByText('32 runs loaded, 2 running (updating live)').waitFor();
    await client.runs.terminate(late.info.runId, 'FAILED');
    await client.runs.terminate(seeded.runningRunId, 'FINISHED');
    await page.getByText(/^32 runs loaded$/).waitFor({ timeout: 15_000 });
    const row = page.getByRole('row').filter({ hasText: 'late-start' });
    expect(await row.getByText('failed').count()).toBe(1);
  });

  test('signing out returns to the login page', async () => {
    await page.locator('summary').first().click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Keel' }).waitFor();
  });
});

describe('the web UI with authentication off', () => {
  test('opens on the experiments without a login page', async () => {
    const open = await startTestServer({ webUi: true });
    const tab = await browser.newPage();
    try {
      await tab.goto(`${open.url}/`);
      await tab.waitForURL(/\/experiments$/);
      await tab.getByRole('heading', { name: 'Experiments' }).waitFor();
      await tab.getByRole('heading', { name: 'Log your first run' }).waitFor();
      await tab.locator('summary').first().click();
      await tab.getByText('Authentication is off').waitFor();
      await screenshot(tab, 'experiments-empty-no-auth');
    } finally {
      await tab.close();
      await open.close();
    }
  });
});
