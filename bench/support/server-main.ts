// A Keel server in its own process for the benchmarks:
// `node server-main.js <backend-uri> <artifacts-dir> [auth <admin-username> <admin-password>]`.
// Prints one line `LISTENING <url>` when ready; stops on SIGTERM.
import { listen, resolveServerConfig } from '../../src/app/index.js';

const [backendStoreUri, artifactsDestination, mode, adminUsername, adminPassword] = process.argv.slice(2);
// With auth, the admin comes from the environment on first start, as an operator would do it.
const env: Record<string, string> =
  mode === 'auth'
    ? { KEEL_AUTH: 'true', KEEL_ADMIN_USERNAME: adminUsername!, KEEL_ADMIN_PASSWORD: adminPassword! }
    : {};
const config = resolveServerConfig(
  { host: '127.0.0.1', port: 0, backendStoreUri, artifactsDestination, logLevel: 'warn' },
  env,
);
const server = await listen(config);
process.stdout.write(`LISTENING ${server.url}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
