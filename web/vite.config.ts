import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Fails the build if Node-only code would reach the browser. The SDK's browser door imports core
 * modules whose index also exports server-side helpers (page tokens hash with node:crypto); the UI
 * never uses those, so they are dropped from the bundle. Vite's note that it stubbed the Node
 * module is therefore silenced, and what is checked instead is the result: no module that imports
 * a Node built-in may keep any code in a chunk.
 */
function nodeFreeBundle(): Plugin {
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  const importers = new Set<string>();
  return {
    name: 'keel-node-free-bundle',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer !== undefined && builtins.has(source)) importers.add(importer);
      return null;
    },
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const shipped = Object.entries(file.modules)
          .filter(([id, module]) => importers.has(id) && module.renderedLength > 0)
          .map(([id]) => id);
        if (shipped.length > 0) {
          this.error(
            `${file.fileName} would ship modules that need Node to the browser: ${shipped.join(', ')}`,
          );
        }
      }
    },
  };
}

/**
 * The web UI's build: `web/` in, `dist/web/` out (index.html plus content-hashed files under
 * assets/, which the server caches for a year). `npm run dev:web` serves it with hot reload and
 * sends the API to a `keel server` on 127.0.0.1:5000.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react(), nodeFreeBundle()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      // Vite's stand-in for a Node module is empty; saying so lets unused imports of it drop out.
      treeshake: { moduleSideEffects: (id: string) => !id.includes('__vite-browser-external') },
      onLog(level, log, handler) {
        if (log.message.includes('has been externalized for browser compatibility')) return;
        handler(level, log);
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:5000',
      '/ajax-api': 'http://127.0.0.1:5000',
      '/health': 'http://127.0.0.1:5000',
      '/version': 'http://127.0.0.1:5000',
    },
  },
});
