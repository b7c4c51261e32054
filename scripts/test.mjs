#!/usr/bin/env node
// `npm test`: installs Chromium when missing (the web UI's tests drive it), builds Keel (the CLI
// tests run the real binary) and its web UI, runs every test file with vitest and ends with one line
// `N passed, N failed[, N skipped]`. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

function fail(message) {
  console.error(message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// The e2e tests drive Debian's Chromium, which npm cannot install. On a machine whose package
// lists are empty or old, the first try fails: refresh them once and try again.
const chromium = '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(`${chromium} is missing; the web UI tests need it. Running: apt-get install -y chromium`);
  let status = run('apt-get', ['install', '-y', 'chromium']);
  if (status !== 0) {
    console.log('That failed; refreshing the package lists (apt-get update) and trying once more.');
    status = run('apt-get', ['update']) === 0 ? run('apt-get', ['install', '-y', 'chromium']) : 1;
  }
  if (status !== 0 || !existsSync(chromium)) {
    fail(
      `Could not install Chromium (apt-get install -y chromium failed; it needs root and Debian's ` +
        `package archive). Install it by hand, then run npm test again. No test ran.`,
    );
  }
}

if (run('npx', ['tsc', '-p', 'tsconfig.build.json']) !== 0) fail('Build failed; no test ran.');
if (run('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']) !== 0) {
  fail('The web UI did not build (vite build); no test ran.');
}

const outDir = mkdtempSync(join(tmpdir(), 'keel-test-'));
const report = join(outDir, 'report.json');
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests;
  failed = result.numFailedTests;
  skipped = result.numPendingTests + result.numTodoTests;
  // A test file that fails to load has no tests but is a failure all the same.
  for (const file of result.testResults) {
    if (file.status === 'failed' && file.assertionResults.length === 0) failed += 1;
  }
} catch {
  failed = Math.max(failed, 1);
}
rmSync(outDir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
