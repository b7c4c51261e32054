import { randomUUID } from 'node:crypto';

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
