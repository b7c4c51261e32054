import { randomBytes, randomUUID } from 'node:crypto';

/** A new run id: 32 lowercase hex characters, as MLflow's. */
export function newRunId(): string {
  return randomUUID().replaceAll('-', '');
}

/** A new logged model id: `m-` and 32 hex characters, as MLflow 3's. */
export function newLoggedModelId(): string {
  return `m-${randomUUID().replaceAll('-', '')}`;
}

export function newDatasetUuid(): string {
  return randomUUID().replaceAll('-', '');
}

const maxInteger = 2_147_483_647;

/**
 * The numeric key of an experiment id, or `undefined` when the id cannot name an experiment
 * (not a decimal integer, or beyond the integer column's range): such ids are simply unknown.
 */
export function parseExperimentId(experimentId: string): number | undefined {
  if (!/^[0-9]{1,10}$/.test(experimentId)) return undefined;
  const id = Number(experimentId);
  return id <= maxInteger ? id : undefined;
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new ULID (https://github.com/ulid/spec): 26 Crockford base32 characters, uppercase; the first 10
 * carry the time in milliseconds (48 bits), the other 16 carry 80 random bits from node:crypto.
 * Ids of users, groups, tokens and sessions: they sort by creation time and are unguessable.
 */
export function newUlid(now = Date.now()): string {
  let time = '';
  for (let rest = now, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = crockford[rest % 32]! + time;
  const random = randomBytes(10);
  let bits = 0;
  let value = 0;
  let tail = '';
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      tail += crockford[(value >>> bits) & 31]!;
    }
    value &= (1 << bits) - 1;
  }
  return time + tail;
}
