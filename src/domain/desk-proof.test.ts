import { describe, expect, it } from 'vitest';
import { deskProof, isChallenge, newChallenge, provesDesk } from './desk-proof.ts';

describe('desk proof', () => {
  it('only the desk with the same secret proves a challenge', () => {
    const c = newChallenge();
    expect(isChallenge(c)).toBe(true);
    expect(provesDesk('secret one', c, deskProof('secret one', c))).toBe(true);
    expect(provesDesk('secret one', c, deskProof('secret two', c))).toBe(false);
    expect(provesDesk('secret one', newChallenge(), deskProof('secret one', c))).toBe(false);
    for (const bad of [undefined, '', 'ok', 42, deskProof('secret one', c).toUpperCase()]) expect(provesDesk('secret one', c, bad)).toBe(false);
  });
  it('takes only 32 hex digits as a challenge', () => {
    expect(isChallenge('a'.repeat(32))).toBe(true);
    for (const bad of ['a'.repeat(31), 'g'.repeat(32), 'A'.repeat(32), ['a'.repeat(32)], undefined]) expect(isChallenge(bad)).toBe(false);
  });
});
