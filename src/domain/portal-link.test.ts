import { describe, expect, it } from 'vitest';
import { freshLinkWaitMs, judgePortalLink, makePortalToken, mergeFollow, newPortalNonce, readPortalToken, type PortalLinkTicket } from './portal-link.ts';
import { signPayload } from './reply-token.ts';

const key = 'k'.repeat(32);
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const ticket = (over: Partial<PortalLinkTicket> = {}): PortalLinkTicket => ({
  id: 12, portalNonce: 'a1b2', status: 'in_progress', closedAt: null, mergedIntoId: null, ...over,
});
const judge = (token: string, t: PortalLinkTicket, now: number, days = 30) => {
  const claim = readPortalToken(key, token);
  if (!claim) return 'unknown';
  return judgePortalLink(key, claim, t, now, days).kind;
};

describe('portal link tokens', () => {
  it('name the ticket and the second they were issued', () => {
    const tok = makePortalToken(key, ticket(), T0 + 999);
    expect(tok).toMatch(/^t12\.[0-9a-z]+\.[a-z2-7]{24}$/);
    expect(readPortalToken(key, tok)).toMatchObject({ ticketId: 12, issuedAt: T0 });
    expect(readPortalToken(key, tok.toUpperCase())).toMatchObject({ ticketId: 12 });
  });

  it('are unknown when forged, altered, signed with another key or in the old form', () => {
    const tok = makePortalToken(key, ticket(), T0);
    expect(readPortalToken('x'.repeat(32), tok)).toBeUndefined();
    expect(readPortalToken(key, tok.replace(/^t12\./, 't13.'))).toBeUndefined();
    const [id, issued, sig] = tok.split('.');
    expect(readPortalToken(key, `${id}.${(parseInt(issued, 36) + 1).toString(36)}.${sig}`)).toBeUndefined();
    expect(readPortalToken(key, `t12.${signPayload(key, 'portal.t12')}`)).toBeUndefined();
    expect(readPortalToken(key, 'nonsense')).toBeUndefined();
  });

  it('open their ticket while it is open, however old', () => {
    const tok = makePortalToken(key, ticket(), T0);
    expect(judge(tok, ticket(), T0 + 400 * DAY)).toBe('valid');
    expect(judge(tok, ticket({ status: 'resolved' }), T0 + 400 * DAY)).toBe('valid');
  });

  it('expire the configured days after the ticket closed, or after they were issued if later', () => {
    const tok = makePortalToken(key, ticket(), T0);
    const closed = ticket({ status: 'closed', closedAt: T0 + 5 * DAY });
    expect(judge(tok, closed, T0 + 35 * DAY - 1)).toBe('valid');
    expect(judge(tok, closed, T0 + 35 * DAY)).toBe('expired');
    expect(judge(tok, closed, T0 + 12 * DAY, 7)).toBe('expired');
    const fresh = makePortalToken(key, ticket(), T0 + 100 * DAY);
    expect(judge(fresh, closed, T0 + 129 * DAY)).toBe('valid');
    expect(judge(fresh, closed, T0 + 130 * DAY)).toBe('expired');
  });

  it('are revoked by a new nonce; links issued with the new nonce work', () => {
    const old = makePortalToken(key, ticket(), T0);
    const rotated = ticket({ portalNonce: newPortalNonce() });
    expect(judge(old, rotated, T0 + DAY)).toBe('revoked');
    expect(judge(makePortalToken(key, rotated, T0 + DAY), rotated, T0 + DAY)).toBe('valid');
    expect(newPortalNonce()).not.toBe(newPortalNonce());
  });

  it('of a merged ticket never open the ticket it went into', () => {
    const tok = makePortalToken(key, ticket(), T0);
    const merged = ticket({ status: 'closed', closedAt: T0 + DAY, mergedIntoId: 40 });
    expect(readPortalToken(key, tok) && judgePortalLink(key, readPortalToken(key, tok)!, merged, T0 + 2 * DAY, 30)).toEqual({ kind: 'merged', intoId: 40 });
    expect(judge(tok, merged, T0 + 31 * DAY)).toBe('expired');
  });
});

describe('following a merge', () => {
  const x = { contactId: 1, addresses: ['X@Example.com', '+79123456789'] };
  it('links only to the requester’s own ticket; a participant is told it goes on by mail; others learn nothing', () => {
    expect(mergeFollow(x, { requesterId: 1, participants: [] })).toBe('link');
    expect(mergeFollow(x, { requesterId: 2, participants: ['x@example.com'] })).toBe('by_mail');
    expect(mergeFollow(x, { requesterId: 2, participants: ['+79123456789'] })).toBe('by_mail');
    expect(mergeFollow(x, { requesterId: 2, participants: ['y@example.com'] })).toBe('none');
    expect(mergeFollow(null, { requesterId: null, participants: [] })).toBe('none');
  });
});

describe('fresh links', () => {
  it('go at most once per ten minutes per ticket', () => {
    expect(freshLinkWaitMs(null, T0)).toBe(0);
    expect(freshLinkWaitMs(T0, T0 + 60_000)).toBe(9 * 60_000);
    expect(freshLinkWaitMs(T0, T0 + 10 * 60_000)).toBe(0);
  });
});
