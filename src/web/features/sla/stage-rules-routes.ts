// Admin page for the workflow rules: fields required to enter each stage and auto-close days,
// per ticket type; and the transition matrix (who may move a ticket where), for reference.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { saveWorkflowRules } from '../../../actions/sla-admin.ts';
import { STATUSES, TICKET_TYPES } from '../../../db/schema.ts';
import { GATED_STAGES, RECOMMENDED_REQUIREMENTS, REQUIRED_FIELDS, rolesFor, type WorkflowRules } from '../../../domain/transitions.ts';
import { AppError } from '../../../domain/errors.ts';
import { getWorkflowRules } from '../../../store/workflow-settings.ts';
import { currentUser } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../../render.ts';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export function rulesRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const guard = requirePermission('settings.manage');

  const page = (req: Request, res: Response, rules: WorkflowRules, days: Record<string, string>, errors: Record<string, string> = {}, status = 200) => {
    render(req, res, 'sla/stage-rules', {
      title: 'Workflow',
      types: TICKET_TYPES.map((type) => ({
        type,
        autoCloseDays: days[type] ?? '',
        error: errors[`${type}.autoCloseDays`],
        stages: GATED_STAGES.map((stage) => ({
          stage,
          fields: REQUIRED_FIELDS.map((field) => ({ field, name: `${type}.${stage}`, checked: (rules[type].requirements[stage] ?? []).includes(field) })),
        })),
      })),
      fields: REQUIRED_FIELDS,
      matrix: STATUSES.map((from) => ({
        from,
        moves: STATUSES.filter((to) => rolesFor(from, to).length).map((to) => ({ to, roles: rolesFor(from, to).filter((r) => r !== 'system') })),
      })),
      errors,
    }, { status });
  };
  const daysOf = (rules: WorkflowRules) => Object.fromEntries(TICKET_TYPES.map((t) => [t, rules[t].autoCloseDays ? String(rules[t].autoCloseDays) : '']));

  r.get('/admin/workflow', guard, async (req, res) => {
    const rules = await getWorkflowRules(ctx.db);
    page(req, res, rules, daysOf(rules));
  });

  r.post('/admin/workflow', guard, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const recommend = typeof body.recommend === 'string' ? body.recommend : null;
    const rules = {} as Record<string, { requirements: Record<string, string[]>; autoCloseDays: number | null }>;
    const days: Record<string, string> = {};
    for (const type of TICKET_TYPES) {
      const requirements: Record<string, string[]> = {};
      for (const stage of GATED_STAGES) requirements[stage] = list(body[`${type}.${stage}`]);
      if (recommend === type || recommend === 'all') Object.assign(requirements, RECOMMENDED_REQUIREMENTS);
      rules[type] = { requirements, autoCloseDays: null };
      days[type] = typeof body[`${type}.autoCloseDays`] === 'string' ? (body[`${type}.autoCloseDays`] as string) : '';
    }
    try {
      await saveWorkflowRules(ctx, { kind: 'user', user: currentUser(res) }, rules, days);
      redirectWithFlash(res, '/admin/workflow', 'workflow.flash.saved');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'validation')) throw err;
      const shown = await getWorkflowRules(ctx.db);
      page(req, res, { ...shown, ...(rules as unknown as WorkflowRules) }, days, err.details.fields as Record<string, string>, 422);
    }
  });

  return r;
}
