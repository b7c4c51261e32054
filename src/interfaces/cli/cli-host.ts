/**
 * What the CLI needs from the process that runs it. `src/bin/keel.ts` implements it with the app
 * layer; the CLI itself talks to servers only through the SDK.
 */

/** Flags of `keel server`, as given; undefined means "not on the command line" (the app merges env and defaults). */
export interface ServerFlags {
  host?: string;
  port?: number;
  backendStoreUri?: string;
  defaultArtifactRoot?: string;
  artifactsDestination?: string;
  serveArtifacts?: boolean;
  workers?: number;
  logLevel?: string;
  /** `--auth`: require authentication (on by itself off loopback). */
  auth?: boolean;
  /** `--insecure-no-auth`: knowingly serve a non-loopback address without authentication. */
  insecureNoAuth?: boolean;
  /** `--auth-cache-ttl <ms>`: how long identities and permissions are reused. */
  authCacheTtlMs?: number;
  /** `--password-cost <log2 N>`: scrypt cost of new password hashes (tests lower it). */
  passwordCost?: number;
}

export interface GcFlags {
  backendStoreUri?: string;
  artifactsDestination?: string;
  /** Only runs and experiments deleted at least this long ago. */
  olderThanMs: number;
  /** Report what would go without deleting anything. */
  dryRun: boolean;
}

export interface GcResult {
  runIds: string[];
  experimentIds: string[];
  blobsRemoved: number;
}

export interface CreateAdminFlags {
  backendStoreUri?: string;
  username: string;
  password: string;
}

export interface DemoFlags {
  /** Stop the server and return once the demo has logged its runs. */
  exit: boolean;
  host?: string;
  port?: number;
}

/** A text sink: `process.stdout` and `process.stderr` fit. */
export interface CliWriter {
  write(text: string): unknown;
  /** Colours are used only on a terminal. */
  isTTY?: boolean;
}

export interface CliHost {
  version: string;
  /** Starts a server with the given flags; resolves (with anything) after it has shut down. */
  startServer(flags: ServerFlags): Promise<unknown>;
  /** Migrates the metadata database to the newest schema. */
  upgradeDatabase(flags: { backendStoreUri?: string }): Promise<{ from: number; to: number }>;
  /** Permanently removes deleted runs and experiments (and their artifacts). */
  collectGarbage(flags: GcFlags): Promise<GcResult>;
  /** Runs the end-to-end demo on the embedded defaults; resolves (with anything) when it is over. */
  runDemo(flags: DemoFlags): Promise<unknown>;
  /**
   * Creates the first site administrator directly in the metadata database (migrating it first);
   * `created: false` when that administrator already exists.
   */
  createAdmin(flags: CreateAdminFlags): Promise<{ username: string; created: boolean }>;
  /** Reads standard input to its end (`--password-stdin`). */
  readStdin(): Promise<string>;
  /**
   * Asks a question on the terminal (without echo when `secret`) and returns the answer; undefined
   * when standard input is not a terminal, so scripts fail instead of hanging.
   */
  prompt(question: string, options: { secret: boolean }): Promise<string | undefined>;
  /** The environment to read `KEEL_TRACKING_URI`, `MLFLOW_TRACKING_URI` (and credentials) from. */
  env: Record<string, string | undefined>;
  stdout: CliWriter;
  stderr: CliWriter;
}
