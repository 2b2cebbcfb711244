// A person's dashboard: which widgets, in which order, each small or wide. The changes a person
// makes (add, remove, move, resize, reorder by dragging, reset) are pure functions over it, and a
// stored layout is cleaned on the way in: a widget no longer offered (a report removed, a saved
// view deleted, a role that lost the right) drops out instead of breaking the page.
export const WIDGET_SIZES = ['small', 'wide'] as const;
export type WidgetSize = (typeof WIDGET_SIZES)[number];

export type Placement = { id: string; size: WidgetSize };
export type DashboardLayout = Placement[];

/** The most widgets one dashboard holds. */
export const MAX_WIDGETS = 24;

export type LayoutChange =
  | { op: 'add'; id: string; size: WidgetSize }
  | { op: 'remove' | 'up' | 'down' | 'resize'; id: string }
  | { op: 'order'; ids: string[] }
  | { op: 'reset' };

/** A stored layout as the offered widgets allow: known ids only, each once, at most MAX_WIDGETS. */
export function cleanLayout(raw: unknown, offered: ReadonlySet<string>): DashboardLayout {
  if (!Array.isArray(raw)) return [];
  const seen = new Set<string>();
  const out: DashboardLayout = [];
  for (const p of raw) {
    if (!p || typeof p !== 'object') continue;
    const { id, size } = p as Record<string, unknown>;
    if (typeof id !== 'string' || !offered.has(id) || seen.has(id)) continue;
    seen.add(id);
    out.push({ id, size: size === 'wide' ? 'wide' : 'small' });
  }
  return out.slice(0, MAX_WIDGETS);
}

/** The layout after one change; a change that names a widget not on it (or not offered) changes nothing. */
export function changeLayout(layout: DashboardLayout, change: LayoutChange, offered: ReadonlySet<string>, defaults: DashboardLayout): DashboardLayout {
  const at = 'id' in change ? layout.findIndex((p) => p.id === change.id) : -1;
  switch (change.op) {
    case 'reset':
      return cleanLayout(defaults, offered);
    case 'add':
      return at >= 0 || !offered.has(change.id) || layout.length >= MAX_WIDGETS ? layout : [...layout, { id: change.id, size: change.size }];
    case 'remove':
      return at < 0 ? layout : layout.filter((_, i) => i !== at);
    case 'resize':
      return at < 0 ? layout : layout.map((p, i) => (i === at ? { ...p, size: p.size === 'wide' ? 'small' : 'wide' } : p));
    case 'up':
    case 'down': {
      const to = change.op === 'up' ? at - 1 : at + 1;
      if (at < 0 || to < 0 || to >= layout.length) return layout;
      const next = [...layout];
      [next[at], next[to]] = [next[to], next[at]];
      return next;
    }
    case 'order': {
      // the dragged order names the widgets shown; any it leaves out keep their place at the end
      const byId = new Map(layout.map((p) => [p.id, p]));
      const first = [...new Set(change.ids)].flatMap((id) => byId.get(id) ?? []);
      return [...first, ...layout.filter((p) => !first.includes(p))];
    }
  }
}
