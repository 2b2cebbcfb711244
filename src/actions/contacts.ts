// Contacts (requesters): names, email addresses, phone numbers (E.164), organisation, language.
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import { LOCALES } from '../db/schema.ts';
import { toE164 } from '../domain/phone.ts';
import { listEmailsOfOthers, listPhonesOfOthers, replaceContactEmails, replaceContactPhones } from '../store/contact-details.ts';
import { getContact, insertContact, updateContact, type Contact } from '../store/contacts.ts';
import { invalid } from '../domain/errors.ts';
import { can } from '../domain/permissions.ts';
import { insertEvent } from '../store/events.ts';
import { findOrganization } from '../store/organizations.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';


export const contactSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  emails: z.array(z.email({ message: 'Enter valid email addresses' }).transform((e) => e.toLowerCase())).max(10).default([]),
  // as typed; made E.164 with the desk's SMS_DEFAULT_COUNTRY for national forms ("8 912 345-67-89")
  phones: z.array(z.string().trim().max(40)).max(10).default([]),
  organizationId: z.number().int().positive().nullable().default(null),
  locale: z.enum(LOCALES).nullable().default(null),
  note: z.string().trim().max(5000).nullable().default(null),
  /** a designated contact of their organisation: sees their colleagues' requests in the portal (left as it is when not given) */
  seesOrganizationRequests: z.boolean().optional(),
});

export type ContactInput = z.input<typeof contactSchema>;

/** The E.164 form of each number typed; national forms are read in the desk's default country. */
function phonesOf(ctx: Ctx, typed: string[]): string[] {
  const country = ctx.config.sms.defaultCountry;
  return typed.filter((p) => p !== '').map((p) => {
    const n = toE164(p, country);
    if (!n) {
      const hint = country ? '' : '; use the international form, e.g. +7 912 345-67-89';
      throw invalid(`“${p}” is not a phone number${hint}`, { phones: 'Not a phone number' });
    }
    return n;
  });
}

/** The form, checked, with its phones in E.164. */
function parseContact(ctx: Ctx, input: ContactInput) {
  const v = parseInput(contactSchema, input);
  return { ...v, phones: phonesOf(ctx, v.phones) };
}

async function check(ctx: Ctx, id: number | null, v: ReturnType<typeof parseContact>) {
  if (v.emails.length === 0 && v.phones.length === 0) throw invalid('Give at least an email address or a phone number', { emails: 'Required' });
  if (v.organizationId !== null && !await findOrganization(ctx.db, v.organizationId)) throw invalid('Choose an existing organization', { organizationId: 'Unknown organization' });
  const takenE = await listEmailsOfOthers(ctx.db, id, v.emails);
  if (takenE.length) throw invalid(`${takenE[0].email} already belongs to another contact`, { emails: 'Already in use' });
  const takenP = await listPhonesOfOthers(ctx.db, id, v.phones);
  if (takenP.length) throw invalid(`${takenP[0].phone} already belongs to another contact`, { phones: 'Already in use' });
}

/**
 * Whether a contact sees their organisation's requests in the portal is the organisation's
 * business: only who manages organisations sets it (for anyone else it stays as it was), and each
 * change is recorded.
 */
async function designation(ctx: Ctx, user: User, contactId: number, wanted: boolean | undefined, was: boolean): Promise<boolean> {
  const value = wanted !== undefined && can(user.role, 'organization.manage') ? wanted : was;
  if (value !== was) {
    await insertEvent(ctx.db, { ticketId: null, actor: { kind: 'user', userId: user.id }, type: 'contact.designation_changed', data: { contactId, seesOrganizationRequests: value } }, ctx.clock.now());
  }
  return value;
}

export async function createContact(ctx: Ctx, user: User, input: ContactInput): Promise<Contact> {
  requirePermission(user, 'contact.manage');
  const v = parseContact(ctx, input);
  return await inTransaction(ctx.db, async () => {
    await check(ctx, null, v);
    const c = await insertContact(ctx.db, { name: v.name, organizationId: v.organizationId, locale: v.locale, emails: [...new Set(v.emails)], phones: [...new Set(v.phones)] }, ctx.clock.now());
    const sees = await designation(ctx, user, c.id, v.seesOrganizationRequests, false);
    if (v.note || sees) await updateContact(ctx.db, c.id, { note: v.note, seesOrganizationRequests: sees }, ctx.clock.now());
    return await getContact(ctx.db, c.id);
  });
}

export async function editContact(ctx: Ctx, user: User, id: number, input: ContactInput): Promise<Contact> {
  requirePermission(user, 'contact.manage');
  const v = parseContact(ctx, input);
  return await inTransaction(ctx.db, async () => {
    const before = await getContact(ctx.db, id);
    await check(ctx, id, v);
    const sees = await designation(ctx, user, id, v.seesOrganizationRequests, before.seesOrganizationRequests);
    await updateContact(ctx.db, id, { name: v.name, organizationId: v.organizationId, locale: v.locale, note: v.note, seesOrganizationRequests: sees }, ctx.clock.now());
    await replaceContactEmails(ctx.db, id, [...new Set(v.emails)]);
    await replaceContactPhones(ctx.db, id, [...new Set(v.phones)]);
    return await getContact(ctx.db, id);
  });
}
