import { InvalidArgumentError, Option } from 'commander';

/*
 * Parsers for commander options. A bad value throws commander's InvalidArgumentError, which the CLI
 * reports as a usage error (exit code 2).
 */

/** An integer in [min, max]. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got '${value}'.`);
    }
    return parsed;
  };
}

export const parsePort = integerIn(0, 65535);
export const parseMaxResults = integerIn(1, 50_000);

const unitMs: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/**
 * A duration such as `30d`, `12h`, `90m`, `0s` or `1d12h` (days, hours, minutes, seconds), in ms.
 *
 * @example
 * parseDuration('1d12h'); // 129600000
 */
export function parseDuration(value: string): number {
  const text = value.trim().toLowerCase();
  if (!/^(\d+[dhms])+$/.test(text)) {
    throw new InvalidArgumentError(`expected a duration like 30d, 12h, 90m, 0s or 1d12h, got '${value}'.`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([dhms])/g)) {
    total += Number(amount) * (unitMs[unit as string] as number);
  }
  if (!Number.isSafeInteger(total)) throw new InvalidArgumentError(`duration '${value}' is too long.`);
  return total;
}

/** `active`, `deleted` or `all` as MLflow's ViewType. */
export function parseView(value: string): 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL' {
  const views = { active: 'ACTIVE_ONLY', deleted: 'DELETED_ONLY', all: 'ALL' } as const;
  const view = views[value.toLowerCase() as keyof typeof views];
  if (!view) throw new InvalidArgumentError(`expected active, deleted or all, got '${value}'.`);
  return view;
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Collects repeatable `key=value` options into a record. */
export function collectKeyValue(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got '${value}'.`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** `--view active|deleted|all`, parsed to MLflow's ViewType (default active). */
export function viewOption(): Option {
  return new Option('--view <view>', 'active, deleted or all')
    .argParser(parseView)
    .default('ACTIVE_ONLY', 'active');
}

/** Days until a token expires: 1 to 365. */
export const parseExpiryDays = integerIn(1, 365);

/**
 * A point in time for `--since`/`--until`, as epoch ms: an ISO 8601 date or date-time
 * (`2026-01-31`, `2026-01-31T12:00:00Z`; without a zone it is UTC), epoch milliseconds, or a
 * duration ago (`7d`, `12h`, `90m`).
 *
 * @example
 * parseTimePoint('1d', Date.UTC(2026, 0, 2)); // Date.UTC(2026, 0, 1)
 */
export function parseTimePoint(value: string, now = Date.now()): number {
  const text = value.trim();
  if (/^\d{10,}$/.test(text)) return Number(text);
  if (/^(\d+[dhms])+$/i.test(text)) return now - parseDuration(text);
  const dateTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(?<zone>Z|[+-]\d{2}:\d{2})?)?$/i.exec(
    text,
  );
  // JavaScript reads a date alone as UTC but a date-time without a zone as local time: say UTC.
  const parsed =
    dateTime === null
      ? Number.NaN
      : Date.parse(text.length > 10 && dateTime.groups?.zone === undefined ? `${text}Z` : text);
  if (!Number.isFinite(parsed)) {
    throw new InvalidArgumentError(
      `expected a date (2026-01-31), a date-time (2026-01-31T12:00:00Z), epoch milliseconds or a duration ago (7d, 12h), got '${value}'.`,
    );
  }
  return parsed;
}

/** A principal from `--user` / `--group`: exactly one of them. */
export function principalOption(options: {
  user?: string;
  group?: string;
}): { user: string } | { group: string } {
  if (options.user !== undefined && options.group === undefined) return { user: options.user };
  if (options.group !== undefined && options.user === undefined) return { group: options.group };
  throw new InvalidArgumentError('name exactly one of --user <username> or --group <name>.');
}
