import { describe, expect, it } from 'vitest';
import { kbAccessFor, kbReadable, kbVoterKey } from './kb.ts';

describe('knowledge-base access', () => {
  it('requesters read published public articles, staff internal ones, writers drafts', () => {
    expect(kbAccessFor(null)).toBe('public');
    expect(kbAccessFor('agent')).toBe('all');
    expect(kbAccessFor('manager')).toBe('all');
    const draft = { visibility: 'public', status: 'draft' } as const;
    const internal = { visibility: 'internal', status: 'published' } as const;
    const open = { visibility: 'public', status: 'published' } as const;
    expect([draft, internal, open].map((a) => kbReadable('public', a))).toEqual([false, false, true]);
    expect([draft, internal, open].map((a) => kbReadable('internal', a))).toEqual([false, true, true]);
    expect([draft, internal, open].map((a) => kbReadable('all', a))).toEqual([true, true, true]);
  });

  it('keys a vote by who gave it', () => {
    expect([kbVoterKey({ user: 3 }), kbVoterKey({ contact: 4 }), kbVoterKey({ session: 'k' })]).toEqual(['u:3', 'c:4', 's:k']);
  });
});
