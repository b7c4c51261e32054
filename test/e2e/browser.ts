import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { defaultWebUiRoot } from '../../src/app/index.js';

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
