import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { startTestServer } from '../support/server.js';

it('python client', async () => {
  const server = await startTestServer({ engine: 'sqlite' });
  try {
    const out = execFileSync('bash', ['-c', `. /tmp/mlflow-deps/env.sh && /usr/bin/python3 /tmp/keel-py/check.py ${server.url} 2>&1`], { encoding: 'utf8', timeout: 120_000 });
    console.log(out);
  } catch (e) { console.log(String((e as { stdout?: string }).stdout)); }
  await server.close();
  expect(1).toBe(1);
}, 180_000);
