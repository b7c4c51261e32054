import { lookup } from 'mime-types';

/** Files the UI and the client should see as text, whatever the MIME database says. */
const textExtensions = new Set([
  'txt',
  'log',
  'err',
  'out',
  'cfg',
  'conf',
  'cnf',
  'cf',
  'ini',
  'properties',
  'prop',
  'hocon',
  'toml',
  'yaml',
  'yml',
  'xml',
  'json',
  'jsonl',
  'js',
  'py',
  'py3',
  'r',
  'sh',
  'sql',
  'csv',
  'tsv',
  'md',
  'rst',
]);
/** MLflow's well-known files without an extension. */
const textNames = new Set(['MLmodel', 'MLproject']);

/**
 * The content type an artifact is sent with: text for configuration, code and tabular text (so a
 * browser shows it rather than runs it), the MIME database for the rest, and
 * `application/octet-stream` when nothing is known.
 *
 * @example
 * artifactContentType('model/MLmodel') // 'text/plain; charset=utf-8'
 * artifactContentType('plots/roc.png') // 'image/png'
 */
export function artifactContentType(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (textNames.has(name) || textExtensions.has(extension)) return 'text/plain; charset=utf-8';
  const type = lookup(name);
  if (type === false) return 'application/octet-stream';
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type;
}
