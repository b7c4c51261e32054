import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectSourceTags, readGitInfo, withoutCredentials } from './git-info.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-git-'));
  dirs.push(dir);
  return dir;
}
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd })
    .toString()
    .trim();
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('readGitInfo', () => {
  it('reads commit, branch, remote without credentials and the dirty flag', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'feature/x');
    writeFileSync(join(dir, 'a.txt'), 'a');
    git(dir, 'add', 'a.txt');
    git(dir, 'commit', '-q', '-m', 'one');
    git(dir, 'remote', 'add', 'origin', 'https://bob:secret@example.com/team/repo.git');
    const commit = git(dir, 'rev-parse', 'HEAD');

    expect(await readGitInfo(dir)).toEqual({
      commit,
      branch: 'feature/x',
      repoUrl: 'https://example.com/team/repo.git',
      dirty: false,
    });
    writeFileSync(join(dir, 'a.txt'), 'changed');
    expect((await readGitInfo(dir))?.dirty).toBe(true);
  });

  it('returns undefined outside a repository', async () => {
    expect(await readGitInfo(tempDir())).toBeUndefined();
  });

  it('omits the commit of a repository without commits', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    expect(await readGitInfo(dir)).toEqual({ branch: 'main', dirty: false });
  });
});

describe('collectSourceTags', () => {
  it('tags source name, LOCAL type, user and git facts', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'train.ts'), 'x');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'one');
    const tags = Object.fromEntries(
      (await collectSourceTags({ cwd: dir, sourceName: 'train.ts', user: 'ann' })).map((t) => [
        t.key,
        t.value,
      ]),
    );
    expect(tags).toEqual({
      'mlflow.source.name': 'train.ts',
      'mlflow.source.type': 'LOCAL',
      'mlflow.user': 'ann',
      'mlflow.source.git.commit': git(dir, 'rev-parse', 'HEAD'),
      'mlflow.source.git.branch': 'main',
      'keel.source.git.dirty': 'false',
    });
  });
});

describe('withoutCredentials', () => {
  it('keeps scp-like remotes and credential-free URLs as they are', () => {
    expect(withoutCredentials('git@github.com:a/b.git')).toBe('git@github.com:a/b.git');
    expect(withoutCredentials('https://github.com/a/b.git')).toBe('https://github.com/a/b.git');
  });
});
