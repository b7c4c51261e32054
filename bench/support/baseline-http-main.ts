// The HTTP stack's own limit: a Fastify route that answers `{}` without touching a database.
// Prints `LISTENING <url>`; stops on SIGTERM.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/noop', async () => ({}));
app.get('/noop', async () => ({}));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`LISTENING http://127.0.0.1:${port}\n`);
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
