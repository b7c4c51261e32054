import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Servers still running, stopped when the bench exits however it ends (error, Ctrl-C, kill). */
const running = new Set<ChildProcess>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Starts one of the bench's server mains in a child process and waits for its `LISTENING` line. */
export function startChild(
  main: 'server-main' | 'baseline-http-main',
  args: string[] = [],
): Promise<ChildServer> {
  const script = fileURLToPath(new URL(`./${main}.js`, import.meta.url));
  installCleanup();
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolveStart, rejectStart) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /LISTENING (\S+)/.exec(buffer);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolveStart({
          url: match[1]!,
          process: child,
          stop: () =>
            new Promise((resolveStop) => {
              if (child.exitCode !== null) return resolveStop();
              child.once('exit', () => resolveStop());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => rejectStart(new Error(`${main} exited with ${code} before listening`)));
  });
}
