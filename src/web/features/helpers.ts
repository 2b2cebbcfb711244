// Handlebars helpers for the workflow's views: the queue's SLA cell, durations, role checks.
import type Handlebars from 'handlebars';
import { can, type Permission } from '../../domain/permissions.ts';
import type { Role } from '../../db/schema.ts';
import type { ViewGlobals } from '../views.ts';

type Root = { _g: ViewGlobals };
const g = (options: Handlebars.HelperOptions): ViewGlobals => (options.data.root as Root)._g;

type T = (key: string, opts?: Record<string, unknown>) => string;

// A queue page shows a duration on every row and i18next's t() with a value costs tens of
// microseconds; the same (language, key, value) always gives the same text, so it is kept
// (per translation function, i.e. per language; bounded, cleared when full).
const memo = new WeakMap<T, Map<string, string>>();
function tv(t: T, key: string, name?: 'n' | 'time', value?: number | string): string {
  let m = memo.get(t);
  if (!m) memo.set(t, (m = new Map()));
  const k = name ? `${key}\u0000${value}` : key;
  let v = m.get(k);
  if (v === undefined) {
    if (m.size >= 20_000) m.clear();
    m.set(k, (v = name ? t(key, { [name]: value }) : t(key)));
  }
  return v;
}

/** "2 h 5 min", "3 d 4 h" in the viewer's language (whole minutes, rounded up). */
export function durationText(ms: number, t: T): string {
  const total = Math.ceil(Math.abs(ms) / 60_000);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  const parts: string[] = [];
  if (d) parts.push(tv(t, 'workflow.time.d', 'n', d));
  if (h) parts.push(tv(t, 'workflow.time.h', 'n', h));
  if ((m || !parts.length) && !d) parts.push(tv(t, 'workflow.time.m', 'n', m));
  return parts.join(' ');
}

export type SlaCell = {
  state: 'none' | 'done' | 'paused' | 'ok' | 'soon' | 'breached';
  text: string;
  dueAt: number | null;
  target: 'firstResponse' | 'resolution' | null;
};

type SlaRow = { status: string; firstResponseDueAt: number | null; firstRespondedAt: number | null; resolutionDueAt: number | null; slaPausedAt: number | null };

const SOON_MS = 3_600_000;

/** The most urgent open target of a queue row: time left to it, or how long it is overdue. */
export function slaCell(row: SlaRow, now: number, t: T): SlaCell {
  if (row.status === 'resolved' || row.status === 'closed') return { state: 'done', text: '', dueAt: null, target: null };
  if (row.slaPausedAt !== null && row.slaPausedAt !== undefined) return { state: 'paused', text: tv(t, 'workflow.sla.paused'), dueAt: null, target: null };
  const candidates: [number, SlaCell['target']][] = [];
  if (row.firstRespondedAt === null && row.firstResponseDueAt !== null) candidates.push([row.firstResponseDueAt, 'firstResponse']);
  if (row.resolutionDueAt !== null) candidates.push([row.resolutionDueAt, 'resolution']);
  if (!candidates.length) return { state: 'none', text: '', dueAt: null, target: null };
  const [dueAt, target] = candidates.sort((a, b) => a[0] - b[0])[0];
  const left = dueAt - now;
  if (left <= 0) return { state: 'breached', text: tv(t, 'workflow.sla.overdue', 'time', durationText(left, t)), dueAt, target };
  return { state: left < SOON_MS ? 'soon' : 'ok', text: durationText(left, t), dueAt, target };
}

export function registerWorkflowHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('slaCell', function (row: SlaRow, options: Handlebars.HelperOptions) {
    const globals = g(options);
    return slaCell(row, globals.now ?? Date.now(), globals.t as never);
  });
  hb.registerHelper('wfDuration', function (ms: number | null | undefined, options: Handlebars.HelperOptions) {
    return ms === null || ms === undefined ? '' : durationText(ms, g(options).t as never);
  });
  hb.registerHelper('wfCan', (role: Role | undefined, permission: Permission) => !!role && can(role, permission));
  hb.registerHelper('wfMul', (a: unknown, b: unknown) => Number(a) * Number(b));
  hb.registerHelper('wfHas', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
}
