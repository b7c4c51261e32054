/** How an artifact is previewed, from its name. */
export type PreviewKind = 'text' | 'json' | 'yaml' | 'csv' | 'tsv' | 'image' | 'none';

const textExtensions = new Set([
  'txt',
  'log',
  'md',
  'py',
  'sh',
  'cfg',
  'ini',
  'toml',
  'xml',
  'html',
  'css',
  'js',
  'ts',
  'sql',
  'r',
  'ipynb',
  'jsonl',
  'properties',
  'conf',
  'env',
  'gitignore',
  'requirements',
]);
const imageExtensions = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'svg', 'ico', 'avif']);

export function previewKind(path: string): PreviewKind {
  const name = path.split('/').pop() ?? path;
  if (name === 'MLmodel') return 'yaml';
  const dot = name.lastIndexOf('.');
  const extension = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  if (extension === 'json') return 'json';
  if (extension === 'yaml' || extension === 'yml') return 'yaml';
  if (extension === 'csv') return 'csv';
  if (extension === 'tsv') return 'tsv';
  if (imageExtensions.has(extension)) return 'image';
  if (textExtensions.has(extension) || dot < 0) return 'text';
  return 'none';
}

/** Bytes read for a preview of this kind: enough to show, never a whole large file. */
export function previewBytes(kind: PreviewKind): number {
  switch (kind) {
    case 'image':
      return 8 * 1024 * 1024;
    case 'csv':
    case 'tsv':
      return 1024 * 1024;
    default:
      return 256 * 1024;
  }
}
