// Organisations: name, domains and the contract (fee, included minutes, rate, reopen limits, time
// budget, SLA policy, covered components and channels). Agents may look; managers edit.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { createOrganization, editOrganization, type OrganizationInput } from '../../actions/organizations.ts';
import { CHANNELS, type Channel } from '../../db/schema.ts';
import { can } from '../../domain/permissions.ts';
import { listComponents } from '../../store/components.ts';
import { countOrganizationContacts, countOrganizationOpenTickets } from '../../store/organization-names.ts';
import { getOrganization, listOrganizationDomains, listOrganizations, type Organization } from '../../store/organizations.ts';
import { listSlaPolicyOptions } from '../../store/sla-policy-options.ts';
import { currentUser, intParam } from '../context.ts';
import { centsToMoney, formError, idOrNull, ids, intOrNull, list, moneyToCents, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { listContactsOfOrganization } from '../../store/organization-contacts.ts';

function input(body: Body): OrganizationInput {
  const channels = list(body, 'coveredChannels').filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c));
  const comps = ids(body, 'coveredComponentIds');
  return {
    name: str(body, 'name'),
    note: str(body, 'note').trim() || null,
    domains: list(body, 'domains'),
    monthlyFeeCents: moneyToCents(body, 'monthlyFee'),
    currency: str(body, 'currency') || 'RUB',
    includedMinutes: intOrNull(body, 'includedMinutes'),
    hourlyRateCents: moneyToCents(body, 'hourlyRate'),
    reopenLimit: intOrNull(body, 'reopenLimit'),
    reopenWindowDays: intOrNull(body, 'reopenWindowDays'),
    ticketTimeBudgetMinutes: intOrNull(body, 'ticketTimeBudgetMinutes'),
    slaPolicyId: idOrNull(body, 'slaPolicyId'),
    coveredComponentIds: comps.length ? comps : null,
    coveredChannels: channels.length ? channels : null,
  };
}

function valuesOf(o: Organization, domains: string[]): Record<string, string | string[]> {
  const n = (v: number | null) => (v === null ? '' : String(v));
  return {
    name: o.name, note: o.note ?? '', domains: domains.join('\n'), monthlyFee: centsToMoney(o.monthlyFeeCents), currency: o.currency,
    includedMinutes: n(o.includedMinutes), hourlyRate: centsToMoney(o.hourlyRateCents), reopenLimit: n(o.reopenLimit),
    reopenWindowDays: n(o.reopenWindowDays), ticketTimeBudgetMinutes: n(o.ticketTimeBudgetMinutes), slaPolicyId: n(o.slaPolicyId),
    coveredComponentIds: (o.coveredComponentIds ?? []).map(String), coveredChannels: o.coveredChannels ?? [],
  };
}

export function organizationRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const form = async (req: Request, res: Response, data: { id?: number; values: Record<string, string | string[]>; error?: string; fields?: Record<string, string> }, status = 200) => {
    const v = data.values;
    const asList = (x: string | string[] | undefined) => (Array.isArray(x) ? x : x ? [x] : []);
    render(req, res, 'organization', {
      title: (v.name as string) || undefined,
      id: data.id,
      values: v,
      error: data.error,
      fields: data.fields ?? {},
      slaPolicies: (await listSlaPolicyOptions(ctx.db)).map((p) => ({ ...p, selected: v.slaPolicyId === String(p.id) })),
      components: (await listComponents(ctx.db)).map((c) => ({ id: c.id, name: c.name, checked: asList(v.coveredComponentIds).includes(String(c.id)) })),
      channels: CHANNELS.map((c) => ({ id: c, checked: asList(v.coveredChannels).includes(c) })),
      contacts: data.id ? await listContactsOfOrganization(ctx.db, data.id, 50) : [],
      contactCount: data.id ? await countOrganizationContacts(ctx.db, data.id) : 0,
      openTickets: data.id ? await countOrganizationOpenTickets(ctx.db, data.id) : 0,
      readOnly: !can(currentUser(res).role, 'organization.manage'),
    }, { status });
  };

  r.get('/organizations', requirePermission('organization.view'), async (req, res) => {
    render(req, res, 'organizations', {
      organizations: await Promise.all((await listOrganizations(ctx.db)).map(async (o) => ({
        id: o.id, name: o.name, domains: await listOrganizationDomains(ctx.db, o.id), currency: o.currency,
        monthlyFee: centsToMoney(o.monthlyFeeCents), includedMinutes: o.includedMinutes,
      }))),
      canCreate: can(currentUser(res).role, 'organization.manage'),
    });
  });

  r.get('/organizations/new', requirePermission('organization.manage'), async (req, res) => await form(req, res, { values: { currency: 'RUB' } }));

  r.post('/organizations', requirePermission('organization.manage'), async (req, res) => {
    const body = req.body as Body;
    try {
      const o = await createOrganization(ctx, currentUser(res), input(body));
      redirectWithFlash(res, `/organizations/${o.id}`, 'people.organizationSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await form(req, res, { values: body as Record<string, string>, error: e.message, fields: e.fields }, 422);
    }
  });

  r.get('/organizations/:id', requirePermission('organization.view'), async (req, res) => {
    const id = intParam(req.params.id, 'Organization');
    await form(req, res, { id, values: valuesOf(await getOrganization(ctx.db, id), await listOrganizationDomains(ctx.db, id)) });
  });

  r.post('/organizations/:id', requirePermission('organization.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'Organization');
    const body = req.body as Body;
    try {
      await editOrganization(ctx, currentUser(res), id, input(body));
      redirectWithFlash(res, `/organizations/${id}`, 'people.organizationSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await form(req, res, { id, values: body as Record<string, string>, error: e.message, fields: e.fields }, 422);
    }
  });
  return r;
}

