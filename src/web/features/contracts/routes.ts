// An organisation's contract (fee, included time, rate, reopen limits, time budget, SLA policy,
// covered components and channels) with the month's usage and bill. The report of all contracts
// for a month is src/reports/contracts.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import type { ContractForm } from '../../../actions/contract-schema.ts';
import { saveContract } from '../../../actions/sla-admin.ts';
import { CHANNELS } from '../../../db/schema.ts';
import { formatDurationInput, formatMoneyInput } from '../../../domain/quantities.ts';
import { billView, NO_USAGE } from '../../../reports/contracts/bill-view.ts';
import { monthOf } from '../../../reports/contracts/month.ts';
import { listComponents } from '../../../store/components.ts';
import { listBillableTickets, listUsageByOrganization } from '../../../store/contract-usage.ts';
import { AppError } from '../../../domain/errors.ts';
import { getOrganization, type Organization } from '../../../store/organizations.ts';
import { listSlaPolicies } from '../../../store/sla-policies.ts';
import { currentUser, intParam, web } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../../render.ts';

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

  const page = async (req: Request, res: Response, org: Organization, form: { values: Record<string, string>; componentIds: number[] | null; channels: string[] | null }, errors: Record<string, string> = {}, status = 200) => {
    const month = monthOf(req.query.month, ctx.clock.now(), ctx.config.timeZone);
    const usage = (await listUsageByOrganization(ctx.db, month, org.id))[0] ?? NO_USAGE;
    const policies = await listSlaPolicies(ctx.db);
    render(req, res, 'contracts/contract', {
      title: org.name,
      org: { id: org.id, name: org.name },
      values: form.values,
      errors,
      policies: policies.map((p) => ({ id: p.id, name: p.name, selected: String(p.id) === form.values.slaPolicyId })),
      allComponents: form.componentIds === null,
      components: (await listComponents(ctx.db)).map((c) => ({ id: c.id, name: c.name, checked: !!form.componentIds?.includes(c.id) })),
      allChannels: form.channels === null,
      channels: CHANNELS.map((c) => ({ id: c, checked: !!form.channels?.includes(c) })),
      month,
      bill: billView(org, usage, web(res).locale),
      billable: (await listBillableTickets(ctx.db, { organizationId: org.id, from: month.from, to: month.to })).map((t) => ({ ...t, ms: t.minutes * 60_000 })),
    }, { status });
  };

  r.get('/organizations/:id/contract', requirePermission('organization.manage'), async (req, res) => {
    const org = await getOrganization(ctx.db, intParam(req.params.id, 'Organization'));
    await page(req, res, org, { values: valuesOf(org), componentIds: org.coveredComponentIds ?? null, channels: org.coveredChannels ?? null });
  });

  r.post('/organizations/:id/contract', requirePermission('organization.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'Organization');
    const b = req.body as Record<string, unknown>;
    const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
    const form: ContractForm = {
      monthlyFee: str('monthlyFee'), currency: str('currency'), includedTime: str('includedTime'), hourlyRate: str('hourlyRate'),
      reopenLimit: str('reopenLimit'), reopenWindowDays: str('reopenWindowDays'), timeBudget: str('timeBudget'), slaPolicyId: str('slaPolicyId'),
      allComponents: b.allComponents === 'on', componentIds: list(b.componentIds), allChannels: b.allChannels === 'on', channels: list(b.channels),
    };
    try {
      await saveContract(ctx, { kind: 'user', user: currentUser(res) }, id, form);
      redirectWithFlash(res, `/organizations/${id}/contract`, 'workflow.flash.saved');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'validation')) throw err;
      const org = await getOrganization(ctx.db, id);
      const values = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      await page(req, res, org, {
        values,
        componentIds: form.allComponents ? null : (form.componentIds ?? []).map(Number),
        channels: form.allChannels ? null : (form.channels ?? []),
      }, err.details.fields as Record<string, string>, 422);
    }
  });

  return r;
}
