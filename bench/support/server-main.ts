// A Keel server in its own process for the benchmarks: `node server-main.js <backend-uri> <artifacts-dir> [workers]`.
// Prints one line `LISTENING <url>` when ready; stops on SIGTERM.
import { listen, resolveServerConfig } from '../../src/app/index.js';

const [backendStoreUri, artifactsDestination] = process.argv.slice(2);
const config = resolveServerConfig(
  { host: '127.0.0.1', port: 0, backendStoreUri, artifactsDestination, logLevel: 'warn' },
  {},
);
const server = await listen(config);
process.stdout.write(`LISTENING ${server.url}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
