// Contacts: list and search, create, edit (emails, phones, organisation, language), their tickets.
import { endPortalSessions } from '../../actions/portal-sign-in.ts';
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { createContact, editContact, type ContactInput } from '../../actions/contacts.ts';
import { LOCALES, type Locale } from '../../db/schema.ts';
import { can } from '../../domain/permissions.ts';
import { getContact, listContactEmails, listContactPhones, listContacts } from '../../store/contacts.ts';
import { listOrganizationOptions, listOrganizationsByIds } from '../../store/organization-names.ts';
import { listTickets } from '../../store/tickets.ts';
import { currentUser, intParam } from '../context.ts';
import { formError, idOrNull, list, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { lookupsFor } from '../view-models/lookups.ts';
import { ticketRow } from '../view-models/ticket.ts';

const PAGE = 50;

function input(body: Body): ContactInput {
  const locale = str(body, 'locale');
  return {
    name: str(body, 'name'),
    emails: list(body, 'emails'),
    phones: list(body, 'phones'),
    organizationId: idOrNull(body, 'organizationId'),
    locale: (LOCALES as readonly string[]).includes(locale) ? (locale as Locale) : null,
    note: str(body, 'note').trim() || null,
    seesOrganizationRequests: str(body, 'seesOrganizationRequests') === 'on',
  };
}

export function contactRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const form = async (req: Request, res: Response, data: { id?: number; values: Record<string, string>; error?: string; fields?: Record<string, string> }, status = 200) => {
    const me = currentUser(res);
    const contactId = data.id;
    const tickets = contactId ? await listTickets(ctx.db, { requesterId: contactId }, { limit: 20 }) : [];
    const names = await lookupsFor(ctx.db, tickets);
    const phones = contactId ? await listContactPhones(ctx.db, contactId) : [];
    render(req, res, 'contact', {
      title: data.values.name || undefined,
      id: contactId,
      values: data.values,
      error: data.error,
      fields: data.fields ?? {},
      organizations: (await listOrganizationOptions(ctx.db)).map((o) => ({ ...o, selected: data.values.organizationId === String(o.id) })),
      locales: LOCALES.map((l) => ({ id: l, selected: data.values.locale === l })),
      tickets: tickets.map((t) => ticketRow(t, names, ctx.clock.now())),
      smsPhone: phones.find((p) => !p.smsOptedOutAt)?.phone ?? null,
      readOnly: !can(me.role, 'contact.manage'),
      // who sees their organisation's requests in the portal: set by who manages organisations (actions/contacts.ts)
      canDesignate: can(me.role, 'organization.manage'),
    }, { status });
  };
  const valuesOf = async (id: number) => {
    const c = await getContact(ctx.db, id);
    return {
      name: c.name,
      emails: (await listContactEmails(ctx.db, id)).map((e) => e.email).join('\n'),
      phones: (await listContactPhones(ctx.db, id)).map((p) => p.phone).join('\n'),
      organizationId: c.organizationId ? String(c.organizationId) : '',
      locale: c.locale ?? '',
      note: c.note ?? '',
      seesOrganizationRequests: c.seesOrganizationRequests ? 'on' : '',
    };
  };

  r.get('/contacts', requirePermission('contact.view'), async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const pageNo = typeof req.query.page === 'string' && /^\d{1,4}$/.test(req.query.page) ? Math.max(1, Number(req.query.page)) : 1;
    const rows = await listContacts(ctx.db, { q, limit: PAGE + 1, offset: (pageNo - 1) * PAGE });
    const shown = rows.slice(0, PAGE);
    const orgs = new Map((await listOrganizationsByIds(ctx.db, shown.flatMap((c) => (c.organizationId ? [c.organizationId] : [])))).map((o) => [o.id, o.name]));
    render(req, res, 'contacts', {
      q,
      contacts: await Promise.all(shown.map(async (c) => ({
        id: c.id, name: c.name, organization: c.organizationId ? (orgs.get(c.organizationId) ?? null) : null,
        emails: (await listContactEmails(ctx.db, c.id)).map((e) => e.email), phones: (await listContactPhones(ctx.db, c.id)).map((p) => p.phone),
      }))),
      nextHref: rows.length > PAGE ? `/contacts?${new URLSearchParams({ q, page: String(pageNo + 1) })}` : null,
      prevHref: pageNo > 1 ? `/contacts?${new URLSearchParams({ q, page: String(pageNo - 1) })}` : null,
      canCreate: can(currentUser(res).role, 'contact.manage'),
    }, { partial: 'contact-list' });
  });

  r.get('/contacts/new', requirePermission('contact.manage'), async (req, res) => await form(req, res, { values: {} }));

  r.post('/contacts', requirePermission('contact.manage'), async (req, res) => {
    const body = req.body as Body;
    try {
      const c = await createContact(ctx, currentUser(res), input(body));
      redirectWithFlash(res, `/contacts/${c.id}`, 'people.contactSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await form(req, res, { values: body as Record<string, string>, error: e.message, fields: e.fields }, 422);
    }
  });

  r.get('/contacts/:id', requirePermission('contact.view'), async (req, res) => {
    const id = intParam(req.params.id, 'Contact');
    await form(req, res, { id, values: await valuesOf(id) });
  });

  r.post('/contacts/:id', requirePermission('contact.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'Contact');
    const body = req.body as Body;
    try {
      await editContact(ctx, currentUser(res), id, input(body));
      redirectWithFlash(res, `/contacts/${id}`, 'people.contactSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await form(req, res, { id, values: body as Record<string, string>, error: e.message, fields: e.fields }, 422);
    }
  });

  // signs the contact out of the requester portal on every browser (a lost phone, someone who left)
  r.post('/contacts/:id/portal-sessions/end', requirePermission('contact.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'Contact');
    await endPortalSessions(ctx, { kind: 'user', user: currentUser(res) }, id);
    redirectWithFlash(res, `/contacts/${id}`, 'people.portalSessionsEnded');
  });
  return r;
}
