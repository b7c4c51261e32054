import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Keel's package folder (the one whose package.json is named keel), from src/ or dist/; undefined if not found. */
export function findPackageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'keel') return dir;
    } catch {
      // not here: look one level up
    }
    dir = dirname(dir);
  }
  return undefined;
}

/** Keel's version from its package.json, found from this file whether it runs from src/ or dist/. */
export function readKeelVersion(): string {
  const root = findPackageRoot();
  if (root === undefined) return '0.0.0';
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version || '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Where `npm run build` puts the web UI: `dist/web` in Keel's package folder. */
export function defaultWebUiRoot(): string | null {
  const root = findPackageRoot();
  return root === undefined ? null : join(root, 'dist', 'web');
}
