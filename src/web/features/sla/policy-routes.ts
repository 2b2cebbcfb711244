// Admin pages for SLA policies: calendar, warning share, pauses, complaint target, and the
// per-priority targets (contract and internal), plus which policy applies by default.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { removeSlaPolicy, saveSlaPolicy } from '../../../actions/sla-admin.ts';
import { TARGET_FIELDS, type PolicyForm, type TargetField } from '../../../actions/sla-schemas.ts';
import { PRIORITIES, type Priority } from '../../../db/schema.ts';
import { formatDurationInput } from '../../../domain/quantities.ts';
import { AppError } from '../../../domain/errors.ts';
import { listCalendars } from '../../../store/calendars.ts';
import { countOrganizationsUsingPolicy, getSlaPolicy, listSlaPolicies, listSlaTargets } from '../../../store/sla-policies.ts';
import { findDefaultSlaPolicyId } from '../../../store/workflow-settings.ts';
import { currentUser, intParam } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../../render.ts';

type Values = { name: string; calendarId: string; warningPercent: string; pauseOnThirdParty: boolean; escalation: string; isDefault: boolean; targets: Record<string, Record<string, string>> };

function formOf(body: Record<string, string | undefined>): PolicyForm & Values {
  const targets: Record<string, Record<string, string>> = {};
  for (const p of PRIORITIES) {
    targets[p] = {};
    for (const f of TARGET_FIELDS) targets[p][f] = body[`${p}.${f}`] ?? '';
  }
  return {
    name: body.name ?? '', calendarId: body.calendarId ?? '', warningPercent: body.warningPercent ?? '80',
    pauseOnThirdParty: body.pauseOnThirdParty === 'on', escalation: body.escalation ?? '', isDefault: body.isDefault === 'on',
    targets: targets as PolicyForm['targets'] & Record<string, Record<string, string>>,
  };
}

async function valuesOf(ctx: Ctx, id: number): Promise<Values> {
  const p = await getSlaPolicy(ctx.db, id);
  const rows = await listSlaTargets(ctx.db, id);
  const targets: Record<string, Record<string, string>> = {};
  for (const prio of PRIORITIES) {
    const row = rows.find((r) => r.priority === prio);
    targets[prio] = {};
    for (const f of TARGET_FIELDS) targets[prio][f] = formatDurationInput(row?.[f] ?? null);
  }
  return {
    name: p.name, calendarId: p.calendarId ? String(p.calendarId) : '', warningPercent: String(p.warningPercent), pauseOnThirdParty: p.pauseOnThirdParty,
    escalation: formatDurationInput(p.escalationMinutes), isDefault: await findDefaultSlaPolicyId(ctx.db) === id, targets,
  };
}

const EMPTY: Values = {
  name: '', calendarId: '', warningPercent: '80', pauseOnThirdParty: false, escalation: '', isDefault: false,
  targets: Object.fromEntries(PRIORITIES.map((p) => [p, Object.fromEntries(TARGET_FIELDS.map((f) => [f, '']))])),
};

export function policyRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const guard = requirePermission('sla.manage');
  const user = (res: Response) => ({ kind: 'user' as const, user: currentUser(res) });

  const page = async (req: Request, res: Response, id: number | null, values: Values, errors: Record<string, string> = {}, status = 200) => {
    const defaultId = await findDefaultSlaPolicyId(ctx.db);
    const calendars = await listCalendars(ctx.db);
    render(req, res, id === null ? 'sla/policies' : 'sla/policy', {
      title: id === null ? 'SLA policies' : values.name,
      policyId: id,
      policies: await Promise.all((await listSlaPolicies(ctx.db)).map(async (p) => ({
        id: p.id, name: p.name, warningPercent: p.warningPercent, isDefault: p.id === defaultId,
        calendar: calendars.find((c) => c.id === p.calendarId)?.name ?? null, organizations: await countOrganizationsUsingPolicy(ctx.db, p.id),
      }))),
      values,
      calendars: calendars.map((c) => ({ id: c.id, name: c.name, selected: String(c.id) === values.calendarId })),
      rows: PRIORITIES.map((p: Priority) => ({
        priority: p,
        cells: TARGET_FIELDS.map((f: TargetField) => ({ name: `${p}.${f}`, field: f, value: values.targets[p]?.[f] ?? '', error: errors[`${p}.${f}`] })),
      })),
      fields: TARGET_FIELDS,
      errors,
    }, { status });
  };

  r.get('/admin/sla-policies', guard, async (req, res) => await page(req, res, null, EMPTY));

  r.post('/admin/sla-policies', guard, async (req, res) => await save(req, res, null));
  r.get('/admin/sla-policies/:id', guard, async (req, res) => {
    const id = intParam(req.params.id, 'SLA policy');
    await page(req, res, id, await valuesOf(ctx, id));
  });
  r.post('/admin/sla-policies/:id', guard, async (req, res) => await save(req, res, intParam(req.params.id, 'SLA policy')));
  r.post('/admin/sla-policies/:id/delete', guard, async (req, res) => {
    await removeSlaPolicy(ctx, user(res), intParam(req.params.id, 'SLA policy'));
    redirectWithFlash(res, '/admin/sla-policies', 'workflow.flash.deleted');
  });

  async function save(req: Request, res: Response, id: number | null) {
    const form = formOf(req.body as Record<string, string | undefined>);
    try {
      const p = await saveSlaPolicy(ctx, user(res), id, form);
      redirectWithFlash(res, `/admin/sla-policies/${p.id}`, 'workflow.flash.saved');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'validation')) throw err;
      if (id !== null) await getSlaPolicy(ctx.db, id);
      await page(req, res, id, form, err.details.fields as Record<string, string>, 422);
    }
  }

  return r;
}
