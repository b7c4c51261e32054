#!/usr/bin/env node
// `npm test`: builds Keel (the CLI tests run the real binary), runs every test file with vitest and
// ends with one line `N passed, N failed[, N skipped]`. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

if (run('npx', ['tsc', '-p', 'tsconfig.build.json']) !== 0) {
  console.error('Build failed; no test ran.');
  console.log('0 passed, 1 failed');
  process.exit(1);
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
