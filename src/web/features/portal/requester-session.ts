// The requester's portal session: a signed cookie naming the contact and when it ends, separate
// from staff sessions (a staff session never makes anyone a requester, nor the other way round).
// Signing out clears it on that browser; signing out everywhere (or staff ending a contact's
// sessions) raises the contact's session generation, which every older cookie names; it ends by
// itself after REQUESTER_SESSION_MS.
import type { Request, Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { readRequesterSession, REQUESTER_SESSION_MS, requesterSessionValue } from '../../../domain/portal-sign-in.ts';
import { AppError } from '../../../domain/errors.ts';
import { requesterMaySee } from '../../../domain/portal-sign-in.ts';
import { findContact, type Contact } from '../../../store/contacts.ts';
import type { Viewer } from '../../../store/requester-tickets.ts';
import { findTicketByNumber, type Ticket } from '../../../store/tickets.ts';
import { consoleCookies } from '../../cookies.ts';

export type RequesterSession = {
  /** the signed-in contact, if any (a removed contact, or one whose sessions were ended everywhere, signs out) */
  current(req: Request, res: Response): Promise<Contact | undefined>;
  start(res: Response, who: Contact): void;
  end(res: Response): void;
};

export function requesterSession(ctx: Ctx): RequesterSession {
  const cookies = consoleCookies(ctx.config);
  const name = cookies.requester;
  return {
    async current(req, res) {
      const claim = readRequesterSession(req.signedCookies?.[name], ctx.clock.now());
      const found = claim ? await findContact(ctx.db, claim.contactId) : undefined;
      const contact = found && Number(found.portalSessionEpoch) === claim!.epoch ? found : undefined;
      if (req.signedCookies?.[name] !== undefined && !contact) res.clearCookie(name, cookies.options);
      return contact;
    },
    start(res, who) {
      const expiresAt = ctx.clock.now() + REQUESTER_SESSION_MS;
      res.cookie(name, requesterSessionValue(who.id, expiresAt, Number(who.portalSessionEpoch)), { ...cookies.options, signed: true, maxAge: REQUESTER_SESSION_MS });
    },
    end(res) {
      res.clearCookie(name, cookies.options);
    },
  };
}

export const viewerOf = (c: Contact): Viewer => ({ contactId: c.id, organizationId: c.organizationId, seesOrganizationRequests: c.seesOrganizationRequests });

/** A ticket the requester may see, by number; anything else is not found (never "forbidden"). */
export async function visibleTicket(ctx: Ctx, who: Contact, number: unknown): Promise<Ticket> {
  const n = Number(number);
  const t = Number.isSafeInteger(n) && n > 0 ? await findTicketByNumber(ctx.db, n) : undefined;
  if (!t || t.mergedIntoId !== null || !requesterMaySee(viewerOf(who), t)) throw new AppError('not_found', 'Request not found');
  return t;
}
