import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, openSecret, sealSecret, UnreadableSecretError } from './stored-secret.ts';

const key = randomBytes(32).toString('base64url');

describe('sealed passwords', () => {
  it('opens what it sealed, and never stores the same text twice', () => {
    const a = sealSecret(key, 'пароль app-password 1');
    const b = sealSecret(key, 'пароль app-password 1');
    expect(a).not.toBe(b);
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain('app-password');
    expect(openSecret(key, a)).toBe('пароль app-password 1');
    expect(openSecret(key, b)).toBe('пароль app-password 1');
  });

  it('reads a value stored before sealing as it is', () => {
    expect(openSecret(key, 'plain old password')).toBe('plain old password');
  });

  it('refuses a changed value and another key with an error that says what to do', () => {
    const sealed = sealSecret(key, 'secret');
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
    expect(() => openSecret(key, flipped)).toThrow(UnreadableSecretError);
    expect(() => openSecret(key, 'sealed:v1:AAAA')).toThrow(UnreadableSecretError);
    expect(() => openSecret(randomBytes(32).toString('base64url'), sealed, 'mailbox password')).toThrow(
      "the stored mailbox password cannot be read with this desk's secret key (SESSION_SECRET or DATA_DIR/secret.key changed since it was saved): enter it again",
    );
  });
});
