import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The API token `keel login` stored for one server. */
export interface StoredCredential {
  token: string;
  tokenId: string;
  username: string;
  /** Epoch ms; null for a token that never expires. */
  expiresTime: number | null;
}

interface CredentialsDocument {
  version: 1;
  /** Keyed by the normalised tracking URI. */
  servers: Record<string, StoredCredential>;
}

/**
 * `credentials.json` in Keel's config folder: the API tokens `keel login` created, one per tracking
 * URI. The folder is `$KEEL_CONFIG_DIR`, else `$XDG_CONFIG_HOME/keel`, else `~/.config/keel`. The
 * file is written whole (to a temporary file, then renamed) with mode 0600 in a folder of mode
 * 0700: only its owner can read the tokens.
 */
export class CredentialsFile {
  constructor(readonly path: string) {}

  static forEnv(env: Record<string, string | undefined>): CredentialsFile {
    const dir =
      env.KEEL_CONFIG_DIR ||
      (env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'keel') : undefined) ||
      join(env.HOME || homedir(), '.config', 'keel');
    return new CredentialsFile(join(dir, 'credentials.json'));
  }

  read(trackingUri: string): StoredCredential | undefined {
    return this.#load().servers[trackingUri];
  }

  save(trackingUri: string, credential: StoredCredential): void {
    const document = this.#load();
    document.servers[trackingUri] = credential;
    this.#write(document);
  }

  /** Forgets the server's token; returns what was stored. */
  remove(trackingUri: string): StoredCredential | undefined {
    const document = this.#load();
    const removed = document.servers[trackingUri];
    if (removed === undefined) return undefined;
    delete document.servers[trackingUri];
    this.#write(document);
    return removed;
  }

  #load(): CredentialsDocument {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, servers: {} };
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${this.path} is not valid JSON: fix or delete it, then run keel login again.`);
    }
    const servers = (parsed as Partial<CredentialsDocument> | null)?.servers;
    if (servers === null || typeof servers !== 'object' || Array.isArray(servers)) {
      throw new Error(
        `${this.path} is not a Keel credentials file: fix or delete it, then run keel login again.`,
      );
    }
    return { version: 1, servers: { ...servers } };
  }

  #write(document: CredentialsDocument): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
    // The mode given to writeFileSync applies only to a new file, and the umask may narrow it.
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }
}
