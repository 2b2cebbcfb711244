// The requester portal link (/portal/<token>) and what a link may still do.
//
// Token: t<ticket id>.<issue time, seconds in base36>.<signature>. The signature has two halves:
// the first proves the desk issued a link for this ticket at that time; the second ties it to the
// ticket's current portal nonce, which "revoke all requester links" replaces. So a link the desk
// issued stays recognisable after it was revoked or expired (the requester is offered a fresh one)
// while anything else, old-style links included, is simply unknown.
import { randomBytes } from 'node:crypto';
import { sameSignature, signPayload } from './reply-token.ts';

const DAY_MS = 86_400_000;
/** How often the requester may have a fresh link sent for one ticket. */
export const FRESH_LINK_INTERVAL_MS = 10 * 60_000;

export type PortalLinkTicket = {
  id: number;
  portalNonce: string;
  status: string;
  closedAt: number | null;
  mergedIntoId: number | null;
};

/** What an authentic token says: which ticket, when it was issued, and its nonce-bound half. */
export type PortalTokenClaim = { ticketId: number; issuedAt: number; payload: string; binding: string };

export type PortalLinkVerdict =
  | { kind: 'valid' }
  | { kind: 'merged'; intoId: number }
  | { kind: 'expired'; expiredAt: number }
  | { kind: 'revoked' };

export function newPortalNonce(): string {
  return randomBytes(16).toString('hex');
}

const issuedHalf = (key: string, payload: string) => signPayload(key, `portal-link.${payload}`);
const boundHalf = (key: string, payload: string, nonce: string) => signPayload(key, `portal-bind.${payload}.${nonce}`);

/** A link token for the ticket, issued now (issue times are kept to the second). */
export function makePortalToken(key: string, ticket: Pick<PortalLinkTicket, 'id' | 'portalNonce'>, issuedAt: number): string {
  const payload = `t${ticket.id}.${Math.floor(issuedAt / 1000).toString(36)}`;
  return `${payload}.${issuedHalf(key, payload)}${boundHalf(key, payload, ticket.portalNonce)}`;
}

/** The public URL of the requester's view of the ticket, issued now. */
export function portalUrl(publicUrl: string, key: string, ticket: Pick<PortalLinkTicket, 'id' | 'portalNonce'>, issuedAt: number): string {
  return `${publicUrl}/portal/${makePortalToken(key, ticket, issuedAt)}`;
}

/** The claim of a token the desk issued, whatever happened since; undefined for anything else. */
export function readPortalToken(key: string, token: string): PortalTokenClaim | undefined {
  const m = /^t(\d{1,12})\.([0-9a-z]{1,10})\.([a-z2-7]{12})([a-z2-7]{12})$/.exec(token.trim().toLowerCase());
  if (!m) return undefined;
  const payload = `t${m[1]}.${m[2]}`;
  if (!sameSignature(issuedHalf(key, payload), m[3])) return undefined;
  return { ticketId: Number(m[1]), issuedAt: parseInt(m[2], 36) * 1000, payload, binding: m[4] };
}

/**
 * When a link stops opening: `linkDays` after the ticket closed, or after the link was issued if
 * that is later (a fresh link for a long-closed ticket still gets its days). Never while open.
 */
export function portalLinkExpiresAt(ticket: Pick<PortalLinkTicket, 'status' | 'closedAt'>, issuedAt: number, linkDays: number): number | null {
  if (ticket.status !== 'closed' || ticket.closedAt === null) return null;
  return Math.max(ticket.closedAt, issuedAt) + linkDays * DAY_MS;
}

/** What an authentic link may do now: open its ticket, or only say why not. */
export function judgePortalLink(key: string, claim: PortalTokenClaim, ticket: PortalLinkTicket, now: number, linkDays: number): PortalLinkVerdict {
  if (claim.ticketId !== ticket.id) throw new Error('the claim names another ticket');
  if (!sameSignature(boundHalf(key, claim.payload, ticket.portalNonce), claim.binding)) return { kind: 'revoked' };
  const expiresAt = portalLinkExpiresAt(ticket, claim.issuedAt, linkDays);
  if (expiresAt !== null && now >= expiresAt) return { kind: 'expired', expiredAt: expiresAt };
  if (ticket.mergedIntoId !== null) return { kind: 'merged', intoId: ticket.mergedIntoId };
  return { kind: 'valid' };
}

/**
 * How a merged ticket's link may point on to the ticket it went into: with a link when the
 * requester of both is the same person; by name only when they take part in it as a participant
 * (merging adds them; they get its replies by mail, but its page would let them act as its
 * requester); otherwise not at all — never someone else's thread.
 */
export function mergeFollow(
  requester: { contactId: number; addresses: string[] } | null,
  target: { requesterId: number | null; participants: string[] },
): 'link' | 'by_mail' | 'none' {
  if (!requester) return 'none';
  if (target.requesterId === requester.contactId) return 'link';
  const mine = new Set(requester.addresses.map((a) => a.trim().toLowerCase()));
  return target.participants.some((p) => mine.has(p.trim().toLowerCase())) ? 'by_mail' : 'none';
}

/** How long the requester must wait before another fresh link is sent for the ticket (0: now). */
export function freshLinkWaitMs(lastSentAt: number | null, now: number): number {
  if (lastSentAt === null) return 0;
  return Math.max(0, lastSentAt + FRESH_LINK_INTERVAL_MS - now);
}
