import { describe, expect, test } from 'vitest';
import { KeelError } from '../../core/errors.js';
import type { CliHost } from './cli-host.js';
import { reportFailure } from './cli-context.js';

function reported(error: unknown): string[] {
  let written = '';
  const host = { stderr: { write: (text: string) => (written += text) } } as unknown as CliHost;
  reportFailure(host, error);
  return written.trimEnd().split('\n');
}

describe('reportFailure', () => {
  test.each([
    ["User 'alice' not found", 'keel users list'],
    ["Group 'team' not found", 'keel groups list'],
    ["Workspace 'research' not found", 'keel workspaces list'],
    ['No API token with id=01ABC exists.', 'keel tokens list'],
    ['Run with id=abc not found', 'keel experiments list'],
  ])('a missing thing points at the command that lists its kind: %s', (message, command) => {
    const [line, hint] = reported(new KeelError('RESOURCE_DOES_NOT_EXIST', message));
    expect(line).toBe(`error: ${message}`);
    expect(hint).toContain(command);
  });

  test('an error without a code gets no hint', () => {
    expect(reported(new Error('boom'))).toEqual(['error: boom']);
  });
});
