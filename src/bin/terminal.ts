import { createInterface } from 'node:readline/promises';

/** The most `--password-stdin` reads: a password is at most 1,024 characters. */
const maxStdinBytes = 64 * 1024;

/** Reads standard input to its end (for `--password-stdin`), refusing more than 64 KiB. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > maxStdinBytes)
      throw new Error('Standard input is larger than 64 KiB: pass only the password.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Asks on the terminal (the question goes to stderr, so stdout stays clean for `--json`); a secret
 * is read in raw mode without echo. Undefined when stdin is not a terminal.
 */
export async function prompt(question: string, options: { secret: boolean }): Promise<string | undefined> {
  if (!process.stdin.isTTY) return undefined;
  if (!options.secret) {
    const lines = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      return await lines.question(question);
    } finally {
      lines.close();
    }
  }
  return readSecret(question);
}

function readSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolveSecret, rejectSecret) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: Buffer) => {
      for (const character of chunk.toString('utf8')) {
        if (character === '\r' || character === '\n' || character === '\u0004') {
          finish();
          resolveSecret(value);
          return;
        }
        if (character === '\u0003') {
          finish();
          rejectSecret(new Error('Cancelled.'));
          return;
        }
        if (character === '\u007f' || character === '\b') value = value.slice(0, -1);
        else value += character;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
