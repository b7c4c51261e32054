import { describe, expect, it } from 'vitest';
import { KeelClient } from './keel-client.js';

describe('KeelClient.optionsFromEnv', () => {
  it('takes KEEL_TOKEN, then KEEL_TRACKING_TOKEN, then MLFLOW_TRACKING_TOKEN', () => {
    const all = { KEEL_TOKEN: 'a', KEEL_TRACKING_TOKEN: 'b', MLFLOW_TRACKING_TOKEN: 'c' };
    expect(KeelClient.optionsFromEnv(all).token).toBe('a');
    expect(KeelClient.optionsFromEnv({ ...all, KEEL_TOKEN: '' }).token).toBe('b');
    expect(KeelClient.optionsFromEnv({ MLFLOW_TRACKING_TOKEN: 'c' }).token).toBe('c');
  });

  it("reads MLflow's username and password, and KEEL_WORKSPACE; overrides win", () => {
    const env = {
      MLFLOW_TRACKING_URI: 'http://h:1',
      MLFLOW_TRACKING_USERNAME: 'ann',
      MLFLOW_TRACKING_PASSWORD: 'pw',
      KEEL_WORKSPACE: 'research',
    };
    expect(KeelClient.optionsFromEnv(env)).toEqual({
      trackingUri: 'http://h:1',
      token: undefined,
      username: 'ann',
      password: 'pw',
      workspace: 'research',
    });
    expect(KeelClient.optionsFromEnv(env, { workspace: 'other', trackingUri: undefined })).toMatchObject({
      trackingUri: 'http://h:1',
      workspace: 'other',
    });
  });
});
