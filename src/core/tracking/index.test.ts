import { describe, expect, it } from 'vitest';
import * as core from '../index.js';

describe('the core door', () => {
  it('exports errors, tracking rules and blob keys from one place', () => {
    for (const name of [
      'KeelError',
      'errorCatalog',
      'runStatuses',
      'parseRunFilter',
      'parseRunOrderBy',
      'parseExperimentFilter',
      'parseExperimentOrderBy',
      'parseLoggedModelFilter',
      'parseLoggedModelOrderBy',
      'formatRunFilter',
      'encodePageToken',
      'decodePageToken',
      'validateMetric',
      'validateParam',
      'validateTag',
      'validateExperimentName',
      'validateExperimentTag',
      'validateBatch',
      'validateBatchLimits',
      'validateDatasetInputs',
      'validateLoggedModelName',
      'parseViewType',
      'resolveMaxResults',
      'validateBulkIntervalRequest',
      'sampleSteps',
      'generateRunName',
      'toBlobKey',
    ]) {
      expect(core, name).toHaveProperty(name);
    }
  });

  it('parses through the door', () => {
    expect(core.parseRunFilter("tags.a = 'b'")).toEqual([
      { kind: 'tag', key: 'a', comparator: '=', value: 'b' },
    ]);
  });
});
