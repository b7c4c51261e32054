import { describe, expect, test } from 'vitest';
import { KeelError } from '../../src/core/errors.js';
import { PasswordHasher } from '../../src/services/auth/index.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ cost: 10 });

  test('hashes to a PHC scrypt string with a fresh salt, and verifies the password', async () => {
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');
    expect(first).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(await hasher.verify('correct horse battery staple', first)).toBe(true);
    expect(await hasher.verify('correct horse battery staple', second)).toBe(true);
  });

  test('refuses a wrong password, however close', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    for (const attempt of [
      'correct horse battery stapl',
      'Correct horse battery staple',
      '',
      'x'.repeat(2000),
    ])
      expect(await hasher.verify(attempt, stored)).toBe(false);
  });

  test('a hash made with another cost still verifies (the cost travels in the string)', async () => {
    const stronger = new PasswordHasher({ cost: 11 });
    const stored = await stronger.hash('a long enough password');
    expect(stored).toContain('$ln=11,');
    expect(await hasher.verify('a long enough password', stored)).toBe(true);
  });

  test('garbage and absurd stored hashes match nothing, without trying', async () => {
    const stored = await hasher.hash('a long enough password');
    const [, , , salt, key] = stored.split('$');
    const garbage = [
      '',
      'not a hash',
      '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
      stored.replace('$scrypt$', '$bcrypt$'),
      `$scrypt$ln=30,r=8,p=1$${salt}$${key}`, // 2^30 blocks: gigabytes
      `$scrypt$ln=18,r=16,p=1$${salt}$${key}`, // over the memory cap
      `$scrypt$ln=10,r=8,p=99$${salt}$${key}`,
      `$scrypt$ln=10,r=0,p=1$${salt}$${key}`,
      `$scrypt$ln=10,r=8,p=1$QUJD$${key}`, // a 3-byte salt
      `$scrypt$ln=10,r=8,p=1$${salt}$QUJD`, // a 3-byte key
      `$scrypt$ln=10,r=8,p=1$${salt}$${key}$extra`,
    ];
    for (const phc of garbage) expect(await hasher.verify('a long enough password', phc), phc).toBe(false);
  });

  test('an unknown user costs a verification too, and never matches', async () => {
    expect(await hasher.verifyNothing('anything at all')).toBe(false);
  });

  test('refuses a cost outside 10..18 when built', () => {
    for (const cost of [9, 19, 16.5, Number.NaN]) {
      expect(() => new PasswordHasher({ cost })).toThrow(KeelError);
    }
    expect(new PasswordHasher().cost).toBe(16);
  });
});
