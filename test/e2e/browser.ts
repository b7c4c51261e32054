import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { defaultWebUiRoot } from '../../src/app/index.js';
import { KeelClient } from '../../src/sdk/index.js';
import { adminCredentials } from '../support/auth-fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Debian's Chromium (`apt-get install chromium`; `npm test` installs it when missing). */
export const chromiumPath = '/usr/bin/chromium';

/** Where the tests leave screenshots of the main views for people to look at (git-ignored). */
export const screenshotDir = join(process.cwd(), 'test-results', 'screenshots');

export function launchChromium(): Promise<Browser> {
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

/** A full-page screenshot named after the view, in `test-results/screenshots/`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Fails with what to do when the UI was not built (`npm test` builds it; `npx vitest` alone does not). */
export function requireBuiltUi(): void {
  const root = defaultWebUiRoot();
  if (root === null || !existsSync(join(root, 'index.html'))) {
    throw new Error('The web UI is not built (no dist/web/index.html): run `npm run build:web` first.');
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: run \`apt-get install -y chromium\` (npm test does it).`);
  }
}

/** A server with the UI and auth on, Chromium, and one page signed in as the admin. */
export interface SignedInUi {
  server: TestServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * What each e2e file starts with: a real server serving the built UI with authentication on,
 * Chromium beside it, data seeded through the SDK as the admin, and a page (1400 wide) that opens
 * `path()` (read after seeding, so it can name seeded ids) and signs in there.
 */
export async function openSignedInUi(options: {
  seed: (client: KeelClient) => Promise<void>;
  path: () => string;
  height?: number;
  /** Called before the first navigation, e.g. to watch the page's requests. */
  onPage?: (page: Page) => void;
}): Promise<SignedInUi> {
  requireBuiltUi();
  const [server, browser] = await Promise.all([
    startTestServer({ webUi: true, auth: { admin: adminCredentials } }),
    launchChromium(),
  ]);
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    await options.seed(new KeelClient({ trackingUri: server.url, ...adminCredentials, maxRetries: 0 }));
    const context = await browser.newContext({ viewport: { width: 1400, height: options.height ?? 900 } });
    const page = await context.newPage();
    options.onPage?.(page);
    await page.goto(`${server.url}${options.path()}`);
    await page.getByLabel('Username').fill(adminCredentials.username);
    await page.getByLabel('Password').fill(adminCredentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return { server, browser, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
