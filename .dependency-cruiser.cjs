/**
 * The layer rule of docs/architecture.md as code. Every rule is an error; a source file in a folder
 * that no layer covers fails too.
 */
const layers = {
  core: '^src/core/',
  backends: '^src/backends/',
  services: '^src/services/',
  http: '^src/interfaces/(http|mlflow|inference|keel-api)/',
  cli: '^src/interfaces/cli/',
  sdk: '^src/sdk/',
  app: '^src/app/',
  demo: '^src/demo/',
  bin: '^src/bin/',
  web: '^web/src/',
};
const drivers = '^(better-sqlite3|pg|kysely|@aws-sdk|bullmq|ioredis|onnxruntime-node)($|/)';
const nodeIo = '^(node:)?(fs|fs/promises|net|http|https|child_process|cluster|os|worker_threads)$';

module.exports = {
  forbidden: [
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'Every source file sits in a declared layer folder (docs/architecture.md).',
      from: { path: '^src/', pathNot: Object.values(layers).join('|') },
      to: {},
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core imports only core: no I/O, no drivers, no frameworks.',
      from: { path: layers.core },
      to: { pathNot: `${layers.core}|^node:(crypto|stream|util)$|^(crypto|stream|util)$` },
    },
    {
      name: 'backends-below-services',
      severity: 'error',
      from: { path: layers.backends },
      to: { path: `${layers.services}|^src/interfaces/|${layers.app}|${layers.sdk}|${layers.demo}` },
    },
    {
      name: 'services-use-ports-not-drivers',
      severity: 'error',
      from: { path: layers.services },
      to: {
        path: `${layers.backends}|^src/interfaces/|${layers.app}|${layers.sdk}|^(fastify|kysely)$|${drivers}`,
      },
    },
    {
      name: 'services-one-door',
      severity: 'error',
      comment: 'Another service is imported only through its index.ts.',
      from: { path: '^src/services/([^/]+)/' },
      to: { path: '^src/services/([^/]+)/', pathNot: '^src/services/$1/|^src/services/[^/]+/index\\.ts$' },
    },
    {
      name: 'core-modules-one-door',
      severity: 'error',
      comment: 'Outside core, a core module (core/<module>/) is imported only through its index.ts.',
      from: { path: '^src/', pathNot: '^src/core/' },
      to: { path: '^src/core/[^/]+/', pathNot: '^src/core/[^/]+/index\\.ts$' },
    },
    {
      name: 'edges-not-backends',
      severity: 'error',
      from: { path: layers.http },
      to: { path: `${layers.backends}|${layers.app}|${layers.cli}|${layers.sdk}|${drivers}` },
    },
    {
      name: 'clients-through-sdk',
      severity: 'error',
      comment: 'CLI and SDK talk to a server over HTTP; they never reach services or backends.',
      from: { path: `${layers.cli}|${layers.sdk}` },
      to: { path: `${layers.services}|${layers.backends}|${layers.app}|${layers.http}|${drivers}|^fastify$` },
    },
    {
      name: 'sdk-only-core',
      severity: 'error',
      from: { path: layers.sdk },
      to: { path: `${layers.cli}` },
    },
    {
      name: 'web-through-browser-sdk',
      severity: 'error',
      comment:
        "The UI reaches Keel only through the SDK's browser door, and src/core only for types (ARCHITECTURE).",
      from: { path: layers.web },
      to: { path: '^src/', pathNot: '^src/sdk/browser\\.ts$|^src/core/' },
    },
    {
      name: 'web-core-types-only',
      severity: 'error',
      from: { path: layers.web },
      to: { path: '^src/core/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-no-node',
      severity: 'error',
      comment: 'The UI runs in a browser: no Node built-ins.',
      from: { path: layers.web },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'browser-sdk-node-free',
      severity: 'error',
      comment:
        'The browser door of the SDK never imports the Node-only SDK modules; the web build also fails if Node code would ship.',
      from: { path: '^src/sdk/(browser|keel-browser-client)\\.ts$' },
      to: { path: `^src/sdk/(git-info|artifacts-api|async-logger|keel-client|index)\\.ts$|${nodeIo}` },
    },
    {
      name: 'app-imported-only-from-bin',
      severity: 'error',
      from: { path: '^src/', pathNot: `${layers.app}|${layers.bin}|${layers.demo}` },
      to: { path: layers.app },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.json'],
    },
  },
};
