import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Tag } from '../core/tracking/index.js';

/** What `git` says about the working tree a run starts from. */
export interface GitInfo {
  /** Absent in a repository without commits. */
  commit?: string;
  /** Absent on a detached HEAD. */
  branch?: string;
  /** `origin`'s URL with any credentials removed; absent without an `origin` remote. */
  repoUrl?: string;
  /** Tracked changes or untracked files not ignored. */
  dirty: boolean;
}

export interface SourceOptions {
  /** The working directory to ask `git` about (default: the process's). */
  cwd?: string;
  /** `mlflow.source.name` (default: the script the process runs). */
  sourceName?: string;
  /** `mlflow.user` (default: the OS user). */
  user?: string;
}

/** Tag keys the SDK writes for a run's source. */
export const sourceTagKeys = {
  commit: 'mlflow.source.git.commit',
  branch: 'mlflow.source.git.branch',
  repoUrl: 'mlflow.source.git.repoURL',
  dirty: 'keel.source.git.dirty',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  user: 'mlflow.user',
} as const;

/**
 * Reads commit, branch, dirty flag and remote URL with the `git` executable; `undefined` when `cwd`
 * is not inside a repository or `git` is not installed.
 */
export async function readGitInfo(cwd: string): Promise<GitInfo | undefined> {
  const top = await git(cwd, ['rev-parse', '--show-toplevel']);
  if (top === undefined) return undefined;
  const [commit, branch, status, remote] = await Promise.all([
    git(cwd, ['rev-parse', '--verify', '-q', 'HEAD']),
    git(cwd, ['symbolic-ref', '--short', '-q', 'HEAD']),
    git(cwd, ['status', '--porcelain']),
    git(cwd, ['remote', 'get-url', 'origin']),
  ]);
  const info: GitInfo = { dirty: (status ?? '') !== '' };
  if (commit) info.commit = commit;
  if (branch) info.branch = branch;
  if (remote) info.repoUrl = withoutCredentials(remote);
  return info;
}

/**
 * The tags MLflow's fluent client sets on a run it starts (source name and type, user), plus the
 * git tags when the source sits in a repository.
 */
export async function collectSourceTags(options: SourceOptions = {}): Promise<Tag[]> {
  const cwd = options.cwd ?? process.cwd();
  const tags: Tag[] = [
    { key: sourceTagKeys.sourceName, value: options.sourceName ?? defaultSourceName() },
    { key: sourceTagKeys.sourceType, value: 'LOCAL' },
  ];
  const user = options.user ?? osUser();
  if (user) tags.push({ key: sourceTagKeys.user, value: user });
  const info = await readGitInfo(cwd);
  if (info) {
    if (info.commit) tags.push({ key: sourceTagKeys.commit, value: info.commit });
    if (info.branch) tags.push({ key: sourceTagKeys.branch, value: info.branch });
    if (info.repoUrl) tags.push({ key: sourceTagKeys.repoUrl, value: info.repoUrl });
    tags.push({ key: sourceTagKeys.dirty, value: String(info.dirty) });
  }
  return tags;
}

/** `https://user:token@host/x.git` -> `https://host/x.git`; scp-like `git@host:x.git` is kept. */
export function withoutCredentials(remote: string): string {
  try {
    const url = new URL(remote);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
      return url.toString();
    }
    return remote;
  } catch {
    return remote;
  }
}

function defaultSourceName(): string {
  const script = process.argv[1];
  return script ? script : basename(process.argv0);
}

function osUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, timeout: 5000, windowsHide: true, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        resolve(error ? undefined : stdout.trim());
      },
    );
  });
}
