import Table from 'cli-table3';
import pc from 'picocolors';
import { encodeDouble } from '../../core/tracking/index.js';
import type { CliHost, CliWriter } from './cli-host.js';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * How a command prints: tables for people, `--json` for scripts. JSON goes to stdout as one
 * document; non-finite numbers become the strings MLflow uses (`"NaN"`, `"Infinity"`).
 */
export class Output {
  readonly colors: Colors;

  constructor(
    private readonly out: CliWriter,
    readonly json: boolean,
    colorful: boolean,
  ) {
    this.colors = pc.createColors(colorful);
  }

  static for(host: CliHost, json: boolean): Output {
    const noColor = host.env.NO_COLOR !== undefined && host.env.NO_COLOR !== '';
    return new Output(host.stdout, json, host.stdout.isTTY === true && !noColor && !json);
  }

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  printJson(value: unknown): void {
    this.out.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
  }

  /** A table with a header row; `empty` is printed instead when there are no rows. */
  printTable(head: string[], rows: string[][], empty = '(none)'): void {
    if (rows.length === 0) {
      this.line(this.colors.dim(empty));
      return;
    }
    const table = new Table({
      head: head.map((h) => this.colors.bold(h)),
      style: { head: [], border: [] },
      chars: compactRows,
    });
    table.push(...rows);
    // One rule under the header, none between body rows.
    const lines = table.toString().split('\n');
    const headLines = Math.max(...head.map((h) => h.split('\n').length));
    const rule = (lines[0] ?? '').replace('┌', '├').replace('┐', '┤').replaceAll('┬', '┼');
    lines.splice(1 + headLines, 0, rule);
    this.line(lines.join('\n'));
  }

  /** A two-column table of labels and values. */
  printFields(fields: [string, string][]): void {
    const table = new Table({ style: { head: [], border: [] }, chars: compactRows });
    for (const [label, value] of fields) table.push([this.colors.bold(label), value]);
    this.line(table.toString());
  }

  heading(text: string): void {
    this.line();
    this.line(this.colors.bold(text));
  }
}

/** No rule between body rows: tables stay as tall as their content. */
const compactRows = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' ? encodeDouble(value) : value;
}

/** `2024-05-01 09:30:00` (UTC), or `-` for none. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms <= 0) return '-';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `850ms`, `12.3s`, `4m 05s`, `2h 03m`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** A metric value with at most 6 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

/** Cuts long values for tables (JSON output keeps them whole). */
export function truncate(text: string, max = 80): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
