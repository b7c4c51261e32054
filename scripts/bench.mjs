#!/usr/bin/env node
// `npm run bench [suite ...] [-- options]`: runs the compiled benchmark runner (see bench/README.md).
import { spawnSync } from 'node:child_process';

const result = spawnSync(process.execPath, ['dist/bench/run.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
