export { buildProgram, runCli } from './program.js';
export { exitCodes } from './cli-context.js';
export type {
  CliHost,
  CliWriter,
  CreateAdminFlags,
  DemoFlags,
  GcFlags,
  GcResult,
  ServerFlags,
} from './cli-host.js';
