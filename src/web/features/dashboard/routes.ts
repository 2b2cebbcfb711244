// The staff's home page: each person's dashboard of widgets, arranged with plain forms (add,
// remove, move, widen, reset) that work without JavaScript, and by dragging where it runs.
import { Router, type Request } from 'express';
import { arrangeDashboard, dashboardLayout } from '../../../actions/dashboard.ts';
import type { Ctx } from '../../../actions/context.ts';
import { WIDGET_SIZES, type LayoutChange, type WidgetSize } from '../../../domain/dashboard-layout.ts';
import type { Report } from '../../../reports/report.ts';
import type { User } from '../../../store/users.ts';
import { currentUser, web } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import type { Renderer } from '../../render.ts';
import { DEFAULT_LAYOUTS, widgetCache, widgetCatalogue, type WidgetDef } from './widgets.ts';

type Body = Record<string, unknown>;
const str = (body: Body, k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');

function changeOf(body: Body): LayoutChange | null {
  const op = str(body, 'op');
  const id = str(body, 'id');
  if (op === 'reset') return { op };
  if (op === 'order') return { op, ids: str(body, 'ids').split(',').filter(Boolean) };
  if (op === 'add') return { op, id, size: (WIDGET_SIZES as readonly string[]).includes(str(body, 'size')) ? (str(body, 'size') as WidgetSize) : 'small' };
  if (op === 'remove' || op === 'up' || op === 'down' || op === 'resize') return { op, id };
  return null;
}

export function dashboardRoutes(ctx: Ctx, render: Renderer, reports: readonly Report[]): Router {
  const r = Router();
  const cache = widgetCache(ctx);
  const catalogue = async (me: User) => {
    const widgets = await widgetCatalogue(ctx, me, reports, cache);
    return { widgets, byId: new Map(widgets.map((w) => [w.id, w])), offered: new Set(widgets.map((w) => w.id)) };
  };

  r.get('/dashboard', requirePermission('ticket.view'), async (req, res) => {
    const me = currentUser(res);
    const w = web(res);
    const { widgets, byId, offered } = await catalogue(me);
    const layout = await dashboardLayout(ctx, me, offered, DEFAULT_LAYOUTS[me.role]);
    const viewer = { locale: w.locale, t: (key: string) => w.t(key) };
    const title = (d: WidgetDef) => ('key' in d.title ? (d.title.then ? `${w.t(d.title.key)} — ${w.t(d.title.then)}` : w.t(d.title.key)) : d.title.text);
    const placed = await Promise.all(layout.map(async (p, i) => {
      const def = byId.get(p.id)!;
      const view = await def.show(ctx, me, viewer).catch((err: unknown) => {
        ctx.log.error({ err, widget: p.id }, 'a dashboard widget failed');
        return null;
      });
      return { id: p.id, size: p.size, title: title(def), view, first: i === 0, last: i === layout.length - 1 };
    }));
    const shown = new Set(layout.map((p) => p.id));
    render(req, res, 'dashboard', {
      title: w.t('dashboard.title'),
      widgets: placed,
      addable: widgets.filter((d) => !shown.has(d.id)).map((d) => ({ id: d.id, title: title(d), size: d.size })),
    });
  });

  r.post('/dashboard/layout', requirePermission('ticket.view'), async (req: Request, res) => {
    const me = currentUser(res);
    const change = changeOf((req.body ?? {}) as Body);
    if (change) {
      const { offered } = await catalogue(me);
      await arrangeDashboard(ctx, me, change, offered, DEFAULT_LAYOUTS[me.role]);
    }
    // a drag sends its order in the background through the board's order form (htmx) and needs no
    // page back; the boosted ⋯ forms get the page
    if (req.get('HX-Trigger') === 'dashboard-order') res.status(204).end();
    else res.redirect(303, '/dashboard');
  });
  return r;
}
