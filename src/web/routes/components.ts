// Components: name, manager, member agents, automatic assignment, routing keywords and aliases.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { createComponent, editComponent, type ComponentInput } from '../../actions/components.ts';
import { countOpenTicketsByAssignee } from '../../store/agent-loads.ts';
import { getComponent, listComponentAgentIds, listComponents } from '../../store/components.ts';
import { listUsers } from '../../store/users.ts';
import { currentUser, intParam } from '../context.ts';
import { checkbox, formError, idOrNull, ids, list, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';

const MODES = ['off', 'least_loaded', 'round_robin'] as const;

function input(body: Body): ComponentInput {
  const mode = str(body, 'autoAssign');
  return {
    name: str(body, 'name'),
    description: str(body, 'description').trim() || null,
    managerId: idOrNull(body, 'managerId'),
    agentIds: ids(body, 'agentIds'),
    autoAssign: (MODES as readonly string[]).includes(mode) ? (mode as ComponentInput['autoAssign']) : 'off',
    keywords: list(body, 'keywords'),
    emailAliases: list(body, 'emailAliases'),
    active: checkbox(body, 'active'),
  };
}

export function componentRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const form = async (req: Request, res: Response, data: { id?: number; values: Record<string, string | string[]>; error?: string }, status = 200) => {
    const v = data.values;
    const members = Array.isArray(v.agentIds) ? v.agentIds : v.agentIds ? [v.agentIds] : [];
    const open = await countOpenTicketsByAssignee(ctx.db);
    const people = await listUsers(ctx.db, { activeOnly: true });
    render(req, res, 'component', {
      title: (v.name as string) || undefined,
      id: data.id,
      values: v,
      error: data.error,
      modes: MODES.map((m) => ({ id: m, selected: (v.autoAssign || 'off') === m })),
      managers: people.filter((u) => u.role !== 'agent').map((u) => ({ id: u.id, name: u.name, selected: v.managerId === String(u.id) })),
      agents: people.map((u) => ({ id: u.id, name: u.name, role: u.role, away: !u.available, open: open.get(u.id) ?? 0, checked: members.includes(String(u.id)) })),
    }, { status });
  };

  r.get('/components', requirePermission('component.manage'), async (req, res) => {
    const users = new Map((await listUsers(ctx.db)).map((u) => [u.id, u.name]));
    render(req, res, 'components', {
      components: await Promise.all((await listComponents(ctx.db)).map(async (c) => ({
        id: c.id, name: c.name, active: c.active, autoAssign: c.autoAssign,
        manager: c.managerId ? (users.get(c.managerId) ?? null) : null,
        agents: (await listComponentAgentIds(ctx.db, c.id)).map((id) => users.get(id)).filter(Boolean),
      }))),
    });
  });

  r.get('/components/new', requirePermission('component.manage'), async (req, res) => await form(req, res, { values: { active: 'on', autoAssign: 'off' } }));

  r.post('/components', requirePermission('component.manage'), async (req, res) => {
    const body = req.body as Body;
    try {
      const c = await createComponent(ctx, currentUser(res), input(body));
      redirectWithFlash(res, `/components/${c.id}`, 'people.componentSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await form(req, res, { values: body as Record<string, string>, error: e.message }, 422);
    }
  });

  r.get('/components/:id', requirePermission('component.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'Component');
    const c = await getComponent(ctx.db, id);
    await form(req, res, {
      id,
      values: {
        name: c.name, description: c.description ?? '', managerId: c.managerId ? String(c.managerId) : '', autoAssign: c.autoAssign,
        agentIds: (await listComponentAgentIds(ctx.db, id)).map(String), keywords: c.keywords.join(', '), emailAliases: c.emailAliases.join('\n'),
        active: c.active ? 'on' : '',
      },
    });
  });

  r.post('/components/:id', requirePermission('component.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'Component');
    const body = req.body as Body;
    try {
      await editComponent(ctx, currentUser(res), id, input(body));
      redirectWithFlash(res, `/components/${id}`, 'people.componentSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await form(req, res, { id, values: body as Record<string, string>, error: e.message }, 422);
    }
  });
  return r;
}
