// What the new-ticket form sees: the choices with the typed values selected, the errors, and the
// contact picker (search by name, address or phone; a picked contact fills the requester).
import type { Ctx } from '../../actions/context.ts';
import { CATEGORIES, PRIORITIES, TICKET_TYPES } from '../../db/schema.ts';
import { formatPhone, phoneSearchDigits } from '../../domain/phone.ts';
import { listComponents } from '../../store/components.ts';
import { findContact, findPrimaryEmail, findPrimaryPhone, listContacts } from '../../store/contacts.ts';
import { listOrganizationsByIds } from '../../store/organization-names.ts';

const PICKS = 8;

export type ContactPick = { id: number; name: string; email: string | null; phone: string | null; organization: string | null };

/** Contacts matching what was typed: (part of) a phone number in any form finds its E.164 entry. */
export async function pickContacts(ctx: Ctx, q: string): Promise<ContactPick[]> {
  const text = q.trim().slice(0, 100);
  if (!text) return [];
  const term = phoneSearchDigits(text, ctx.config.sms.defaultCountry) ?? text;
  const found = await listContacts(ctx.db, { q: term, limit: PICKS });
  const orgs = new Map((await listOrganizationsByIds(ctx.db, found.flatMap((c) => (c.organizationId ? [c.organizationId] : [])))).map((o) => [o.id, o.name]));
  return await Promise.all(found.map(async (c) => {
    const phone = await findPrimaryPhone(ctx.db, c.id);
    return {
      id: c.id, name: c.name, email: (await findPrimaryEmail(ctx.db, c.id))?.email ?? null,
      phone: phone ? formatPhone(phone.phone) : null, organization: c.organizationId ? (orgs.get(c.organizationId) ?? null) : null,
    };
  }));
}

/** The requester fields filled from a contact, when it exists and has an address. */
export async function pickedRequester(ctx: Ctx, contactId: number): Promise<{ values: Record<string, string>; picked: { name: string; organization: string | null } } | undefined> {
  const c = await findContact(ctx.db, contactId);
  const email = c ? await findPrimaryEmail(ctx.db, c.id) : undefined;
  if (!c || !email) return undefined;
  const org = c.organizationId ? (await listOrganizationsByIds(ctx.db, [c.organizationId]))[0]?.name ?? null : null;
  return { values: { requesterEmail: email.email, requesterName: c.name }, picked: { name: c.name, organization: org } };
}

export async function newTicketForm(ctx: Ctx, values: Record<string, string>, errors: Record<string, string> = {}, message?: string, extra: { q?: string; picked?: { name: string; organization: string | null } } = {}) {
  return {
    values,
    errors,
    error: message,
    pick: { q: extra.q ?? '', results: extra.q ? await pickContacts(ctx, extra.q) : [] },
    picked: extra.picked,
    priorities: PRIORITIES.map((p) => ({ id: p, selected: (values.priority || 'normal') === p })),
    types: TICKET_TYPES.map((p) => ({ id: p, selected: (values.type || 'incident') === p })),
    categories: CATEGORIES.map((p) => ({ id: p, selected: values.category === p })),
    components: (await listComponents(ctx.db, { activeOnly: true })).map((c) => ({ id: c.id, name: c.name, selected: String(c.id) === values.componentId })),
  };
}
