import { toBlobKey } from './blob-key.js';

const scheme = 'mlflow-artifacts:';

/**
 * The blob key an `mlflow-artifacts:` URI stands for, or `undefined` for any other location
 * (`s3://...`, a plain path a user gave an experiment): only proxied locations are served by Keel.
 * `mlflow-artifacts:/1/abc/artifacts`, `mlflow-artifacts:///1/abc/artifacts` and
 * `mlflow-artifacts://host:5000/1/abc/artifacts` all give `1/abc/artifacts`. A location that
 * would leave the store (`..`) throws `INVALID_PARAMETER_VALUE` "Invalid path".
 *
 * @example
 * proxiedArtifactKey('mlflow-artifacts:/3/models/m-1/artifacts') // '3/models/m-1/artifacts'
 * proxiedArtifactKey('s3://bucket/3') // undefined
 */
export function proxiedArtifactKey(uri: string): string | undefined {
  if (!uri.startsWith(scheme)) return undefined;
  let rest = uri.slice(scheme.length);
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  rest = rest.replace(/^\/+/, '');
  return toBlobKey(rest);
}
