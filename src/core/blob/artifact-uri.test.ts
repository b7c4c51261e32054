import { describe, expect, it } from 'vitest';
import { rejection } from '../../../test/support/rejection.js';
import { proxiedArtifactKey } from './artifact-uri.js';

describe('proxiedArtifactKey', () => {
  it('maps every spelling of an mlflow-artifacts: URI to the same blob key', () => {
    for (const uri of [
      'mlflow-artifacts:/1/abc/artifacts',
      'mlflow-artifacts:///1/abc/artifacts',
      'mlflow-artifacts://host:5000/1/abc/artifacts',
      'mlflow-artifacts:/1/abc/artifacts/',
    ]) {
      expect(proxiedArtifactKey(uri), uri).toBe('1/abc/artifacts');
    }
    expect(proxiedArtifactKey('mlflow-artifacts:/')).toBe('');
    expect(proxiedArtifactKey('mlflow-artifacts://host:5000')).toBe('');
  });

  it('leaves other locations alone and refuses a URI that escapes the store', () => {
    expect(proxiedArtifactKey('s3://bucket/3')).toBeUndefined();
    expect(proxiedArtifactKey('/tmp/artifacts')).toBeUndefined();
    expect(rejection(() => proxiedArtifactKey('mlflow-artifacts:/1/../../etc'))).toBe('Invalid path');
  });
});
