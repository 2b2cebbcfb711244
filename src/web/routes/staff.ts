// Agents, managers and admins (admin only): add, change role, language, zone, availability,
// deactivate, set a new password.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { sendInvitation } from '../../actions/password-links.ts';
import { addStaff, editStaff, setStaffPassword } from '../../actions/staff.ts';
import { LOCALES, ROLES, type Locale, type Role } from '../../db/schema.ts';
import { countOpenTicketsByAssignee, listUserComponentIds } from '../../store/agent-loads.ts';
import { listComponents } from '../../store/components.ts';
import { getUser, listUsers, type User } from '../../store/users.ts';
import { currentUser, intParam, web } from '../context.ts';
import { checkbox, formError, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { timeZoneOptions } from '../view-models/time-zones.ts';
import { formatMoneyInput } from '../../domain/quantities.ts';

function fields(body: Body) {
  return {
    name: str(body, 'name'),
    role: str(body, 'role') as Role,
    locale: ((LOCALES as readonly string[]).includes(str(body, 'locale')) ? str(body, 'locale') : 'en') as Locale,
    timeZone: str(body, 'timeZone'),
    active: checkbox(body, 'active'),
    available: checkbox(body, 'available'),
    hourlyCostCents: str(body, 'hourlyCost'),
  };
}

function valuesOf(u: User): Record<string, string> {
  return { name: u.name, email: u.email, role: u.role, locale: u.locale, timeZone: u.timeZone, active: u.active ? 'on' : '', available: u.available ? 'on' : '', hourlyCost: formatMoneyInput(u.hourlyCostCents) };
}

export function staffRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const form = async (req: Request, res: Response, data: { id?: number; values: Record<string, string>; error?: string; passwordError?: string }, status = 200) => {
    const v = data.values;
    const comps = data.id ? new Set(await listUserComponentIds(ctx.db, data.id)) : new Set<number>();
    render(req, res, 'staff-member', {
      title: v.name || undefined,
      id: data.id,
      values: v,
      error: data.error,
      passwordError: data.passwordError,
      roles: ROLES.map((x) => ({ id: x, selected: v.role === x })),
      locales: LOCALES.map((x) => ({ id: x, selected: v.locale === x })),
      timeZones: timeZoneOptions(v.timeZone),
      costCurrency: ctx.config.costCurrency,
      components: (await listComponents(ctx.db)).filter((c) => comps.has(c.id)).map((c) => ({ id: c.id, name: c.name })),
      isMe: data.id === currentUser(res).id,
      invitationPending: data.id !== undefined && (await getUser(ctx.db, data.id)).passwordHash === null && v.active === 'on',
    }, { status });
  };

  r.get('/admin/users', requirePermission('user.manage'), async (req, res) => {
    const open = await countOpenTicketsByAssignee(ctx.db);
    render(req, res, 'staff', {
      people: (await listUsers(ctx.db)).map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role, active: u.active, invited: u.passwordHash === null, available: u.available, open: open.get(u.id) ?? 0 })),
    });
  });

  r.get('/admin/users/new', requirePermission('user.manage'), async (req, res) => await form(req, res, { values: { role: 'agent', locale: ctx.config.defaultLocale, timeZone: ctx.config.timeZone, active: 'on', available: 'on' } }));

  r.post('/admin/users', requirePermission('user.manage'), async (req, res) => {
    const body = req.body as Body;
    try {
      const u = await addStaff(ctx, currentUser(res), { ...fields(body), email: str(body, 'email'), password: str(body, 'password') });
      if (u.passwordHash === null) redirectWithFlash(res, `/admin/users/${u.id}`, 'people.invitationSent', { email: u.email });
      else redirectWithFlash(res, `/admin/users/${u.id}`, 'people.staffSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await form(req, res, { values: { ...(body as Record<string, string>), password: '' }, error: e.message }, 422);
    }
  });

  r.get('/admin/users/:id', requirePermission('user.manage'), async (req, res) => {
    const u = await getUser(ctx.db, intParam(req.params.id, 'User'));
    await form(req, res, { id: u.id, values: valuesOf(u) });
  });

  r.post('/admin/users/:id', requirePermission('user.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'User');
    const body = req.body as Body;
    try {
      await editStaff(ctx, currentUser(res), id, fields(body));
      redirectWithFlash(res, `/admin/users/${id}`, 'people.staffSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await form(req, res, { id, values: { ...(body as Record<string, string>), email: (await getUser(ctx.db, id)).email }, error: e.message }, 422);
    }
  });

  r.post('/admin/users/:id/invite', requirePermission('user.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'User');
    try {
      const u = await sendInvitation(ctx, currentUser(res), id);
      redirectWithFlash(res, `/admin/users/${id}`, 'people.invitationSent', { email: u.email });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      const u = await getUser(ctx.db, id);
      await form(req, res, { id, values: valuesOf(u), error: e.message }, 409);
    }
  });

  r.post('/admin/users/:id/password', requirePermission('user.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'User');
    try {
      await setStaffPassword(ctx, currentUser(res), id, str(req.body as Body, 'password'), { currentSessionId: web(res).sessionId });
      redirectWithFlash(res, `/admin/users/${id}`, 'people.passwordSet');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      const u = await getUser(ctx.db, id);
      await form(req, res, { id, values: valuesOf(u), passwordError: e.message }, 422);
    }
  });
  return r;
}
