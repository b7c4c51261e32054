import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root and the built `keel` binary the CLI tests run. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const keelBin = join(repoRoot, 'dist/src/bin/keel.js');

/**
 * Builds `dist/` with `tsc -p tsconfig.build.json` unless it is newer than every source file
 * (`npm test` builds first; this covers running one test file with vitest). A lock directory keeps
 * two test files from building at once.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(repoRoot, 'dist', '.build-lock');
  for (let waited = 0; ; waited += 200) {
    if (isFresh()) return;
    try {
      mkdirSync(join(repoRoot, 'dist'), { recursive: true });
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`Timed out waiting for another build (remove ${lock} if stale)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (isFresh()) return;
    const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    // tsc still emits when some file has a type error; the tests then show whether it matters.
    if (!isFresh()) throw new Error(`Building Keel failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

function isFresh(): boolean {
  if (!existsSync(keelBin)) return false;
  return newestSource(join(repoRoot, 'src')) <= statSync(keelBin).mtimeMs;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}
