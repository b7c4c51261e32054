import type { CliHost } from './cli-host.js';
import { usageError } from './cli-context.js';

/**
 * Where a command's passwords come from: lines of standard input with `--password-stdin` (one
 * password a line, in the order the command documents), else questions on the terminal without
 * echo. Neither available (a script without `--password-stdin`) is a usage error, never a hang.
 */
export class PasswordInput {
  #lines: string[] | undefined;

  constructor(
    private readonly host: CliHost,
    private readonly fromStdin: boolean,
  ) {}

  /** The next password; `confirm` asks twice on a terminal (for a new password). */
  async next(label: string, options: { confirm?: boolean } = {}): Promise<string> {
    if (this.fromStdin) {
      this.#lines ??= (await this.host.readStdin()).split(/\r?\n/);
      const line = this.#lines.shift();
      if (line === undefined || line === '')
        usageError(`--password-stdin: standard input holds no ${label}.`);
      return line;
    }
    const answer = await this.host.prompt(`${capitalised(label)}: `, { secret: true });
    if (answer === undefined) {
      usageError(`no ${label} given: pass it on standard input with --password-stdin, or run in a terminal.`);
    }
    if (options.confirm) {
      const again = await this.host.prompt(`Repeat the ${label}: `, { secret: true });
      if (again !== answer) usageError('the two passwords differ.');
    }
    return answer;
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
