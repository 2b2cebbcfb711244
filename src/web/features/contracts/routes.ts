// An organisation's contract (fee, included time, rate, reopen limits, time budget, SLA policy,
// covered components and channels) with the month's usage and bill, and the report of all
// contracts for a month with the out-of-scope (billable) requests.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import type { ContractForm } from '../../../actions/contract-schema.ts';
import { saveContract } from '../../../actions/sla-admin.ts';
import { CHANNELS, type Locale } from '../../../db/schema.ts';
import { monthlyBill } from '../../../domain/contract.ts';
import { formatDurationInput, formatMoneyInput } from '../../../domain/quantities.ts';
import { monthStart, zonedParts } from '../../../domain/zoned-time.ts';
import { listComponents } from '../../../store/components.ts';
import { listBillableTickets, listUsageByOrganization } from '../../../store/contract-usage.ts';
import { AppError } from '../../../store/errors.ts';
import { getOrganization, listOrganizations, type Organization } from '../../../store/organizations.ts';
import { listSlaPolicies } from '../../../store/sla-policies.ts';
import { contractOf } from '../../../store/contract-of.ts';
import { formatMoney } from '../../../i18n/labels.ts';
import { currentUser, intParam, web } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../../render.ts';

type Month = { key: string; from: number; to: number; prev: string; next: string };

export function monthOf(query: unknown, now: number, timeZone: string): Month {
  const m = typeof query === 'string' ? /^(\d{4})-(\d{2})$/.exec(query) : null;
  let y: number;
  let mo: number;
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    y = Number(m[1]);
    mo = Number(m[2]);
  } else {
    const p = zonedParts(now, timeZone);
    y = p.y;
    mo = p.m;
  }
  const key = (yy: number, mm: number) => {
    const d = new Date(Date.UTC(yy, mm - 1, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  return { key: key(y, mo), from: monthStart(y, mo, timeZone), to: monthStart(y, mo + 1, timeZone), prev: key(y, mo - 1), next: key(y, mo + 1) };
}

function billView(org: Organization, usage: { coveredMinutes: number; outOfScopeMinutes: number }, locale: Locale) {
  const bill = monthlyBill(contractOf(org), usage);
  const money = (c: number) => formatMoney(c, org.currency, locale);
  return {
    ...bill,
    includedMs: bill.includedMinutes * 60_000,
    coveredMs: bill.coveredMinutes * 60_000,
    outOfScopeMs: bill.outOfScopeMinutes * 60_000,
    overageMs: bill.overageMinutes * 60_000,
    fee: money(bill.feeCents),
    overageCost: money(bill.overageCents),
    outOfScopeCost: money(bill.outOfScopeCents),
    total: money(bill.totalCents),
    rate: org.hourlyRateCents !== null ? money(org.hourlyRateCents) : null,
    over: bill.usedPercent !== null && bill.usedPercent > 100,
  };
}

function valuesOf(org: Organization): Record<string, string> {
  return {
    monthlyFee: formatMoneyInput(org.monthlyFeeCents), currency: org.currency, includedTime: formatDurationInput(org.includedMinutes),
    hourlyRate: formatMoneyInput(org.hourlyRateCents), reopenLimit: org.reopenLimit === null ? '' : String(org.reopenLimit),
    reopenWindowDays: org.reopenWindowDays === null ? '' : String(org.reopenWindowDays), timeBudget: formatDurationInput(org.ticketTimeBudgetMinutes),
    slaPolicyId: org.slaPolicyId ? String(org.slaPolicyId) : '',
  };
}

export function contractRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

  const page = (req: Request, res: Response, org: Organization, form: { values: Record<string, string>; componentIds: number[] | null; channels: string[] | null }, errors: Record<string, string> = {}, status = 200) => {
    const month = monthOf(req.query.month, ctx.clock.now(), ctx.config.timeZone);
    const usage = listUsageByOrganization(ctx.db, month, org.id)[0] ?? { coveredMinutes: 0, outOfScopeMinutes: 0 };
    const policies = listSlaPolicies(ctx.db);
    render(req, res, 'workflow/contract', {
      title: org.name,
      org: { id: org.id, name: org.name },
      values: form.values,
      errors,
      policies: policies.map((p) => ({ id: p.id, name: p.name, selected: String(p.id) === form.values.slaPolicyId })),
      allComponents: form.componentIds === null,
      components: listComponents(ctx.db).map((c) => ({ id: c.id, name: c.name, checked: !!form.componentIds?.includes(c.id) })),
      allChannels: form.channels === null,
      channels: CHANNELS.map((c) => ({ id: c, checked: !!form.channels?.includes(c) })),
      month,
      bill: billView(org, usage, web(res).locale),
      billable: listBillableTickets(ctx.db, { organizationId: org.id, from: month.from, to: month.to }).map((t) => ({ ...t, ms: t.minutes * 60_000 })),
    }, { status });
  };

  r.get('/organizations/:id/contract', requirePermission('organization.manage'), (req, res) => {
    const org = getOrganization(ctx.db, intParam(req.params.id, 'Organization'));
    page(req, res, org, { values: valuesOf(org), componentIds: org.coveredComponentIds ?? null, channels: org.coveredChannels ?? null });
  });

  r.post('/organizations/:id/contract', requirePermission('organization.manage'), (req, res) => {
    const id = intParam(req.params.id, 'Organization');
    const b = req.body as Record<string, unknown>;
    const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
    const form: ContractForm = {
      monthlyFee: str('monthlyFee'), currency: str('currency'), includedTime: str('includedTime'), hourlyRate: str('hourlyRate'),
      reopenLimit: str('reopenLimit'), reopenWindowDays: str('reopenWindowDays'), timeBudget: str('timeBudget'), slaPolicyId: str('slaPolicyId'),
      allComponents: b.allComponents === 'on', componentIds: list(b.componentIds), allChannels: b.allChannels === 'on', channels: list(b.channels),
    };
    try {
      saveContract(ctx, { kind: 'user', user: currentUser(res) }, id, form);
      redirectWithFlash(res, `/organizations/${id}/contract`, 'workflow.flash.saved');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'validation')) throw err;
      const org = getOrganization(ctx.db, id);
      const values = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      page(req, res, org, {
        values,
        componentIds: form.allComponents ? null : (form.componentIds ?? []).map(Number),
        channels: form.allChannels ? null : (form.channels ?? []),
      }, err.details.fields as Record<string, string>, 422);
    }
  });

  r.get('/reports/contracts', requirePermission('report.view'), (req, res) => {
    const month = monthOf(req.query.month, ctx.clock.now(), ctx.config.timeZone);
    const usage = new Map(listUsageByOrganization(ctx.db, month).map((u) => [u.organizationId, u]));
    const orgFilter = typeof req.query.org === 'string' && /^\d+$/.test(req.query.org) ? Number(req.query.org) : undefined;
    const orgs = listOrganizations(ctx.db);
    const names = new Map(orgs.map((o) => [o.id, o.name]));
    render(req, res, 'workflow/contracts-report', {
      title: 'Contracts',
      month,
      orgFilter,
      organizations: orgs.map((o) => ({ id: o.id, name: o.name, selected: o.id === orgFilter })),
      rows: orgs
        .filter((o) => orgFilter === undefined || o.id === orgFilter)
        .map((o) => ({ id: o.id, name: o.name, currency: o.currency, bill: billView(o, usage.get(o.id) ?? { coveredMinutes: 0, outOfScopeMinutes: 0 }, web(res).locale) })),
      billable: listBillableTickets(ctx.db, { organizationId: orgFilter, from: month.from, to: month.to }).map((t) => ({
        ...t, ms: t.minutes * 60_000, organization: t.organizationId ? names.get(t.organizationId) : null,
      })),
    });
  });

  return r;
}
