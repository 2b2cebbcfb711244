// The audit log page and CSV: the filters read from a query string (a period in the viewer's
// zone), and each entry as rows of the fields it changed, before → after.
import { AUDIT_KINDS, auditChanges, auditValueText } from '../../domain/audit-entry.ts';
import { addDays, instantOf, parseDateKey } from '../../domain/zoned-time.ts';
import type { AuditEntry, AuditFilter } from '../../store/audit-log.ts';

/** The filters as the form shows them, and as the store reads them. */
export type AuditQuery = { form: { who: string; kind: string; from: string; to: string; q: string }; filter: AuditFilter };

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim().slice(0, 200) : '';
}

/** `who`: a user id or "system"; `from`/`to`: dates (YYYY-MM-DD) in the zone, both days included. */
export function parseAuditQuery(query: Record<string, unknown>, timeZone: string): AuditQuery {
  const form = { who: text(query.who), kind: text(query.kind), from: text(query.from), to: text(query.to), q: text(query.q) };
  const filter: AuditFilter = {};
  if (/^\d+$/.test(form.who)) filter.actorUserId = Number(form.who);
  else if (form.who === 'system') filter.system = true;
  else form.who = '';
  if ((AUDIT_KINDS as readonly string[]).includes(form.kind)) filter.kind = form.kind;
  else form.kind = '';
  const from = parseDateKey(form.from);
  if (from) filter.from = instantOf(from, 0, timeZone);
  else form.from = '';
  const to = parseDateKey(form.to);
  if (to) filter.to = instantOf(addDays(to, 1), 0, timeZone);
  else form.to = '';
  if (form.q) filter.q = form.q;
  return { form, filter };
}

/** The form's values as a query string (for the next page and the CSV link). */
export function auditQueryString(form: AuditQuery['form'], more: Record<string, string> = {}): string {
  const pairs = Object.entries({ ...form, ...more }).filter(([, v]) => v !== '');
  return new URLSearchParams(pairs).toString();
}

export type AuditRow = {
  id: number; createdAt: number; system: boolean; actorName: string; actorUserId: number | null;
  kind: string; subjectId: number | null; label: string; action: string;
  changes: { field: string; before: string; after: string }[];
};

export function auditRow(e: AuditEntry): AuditRow {
  return {
    id: e.id, createdAt: e.createdAt, system: e.actorKind === 'system', actorName: e.actorName, actorUserId: e.actorUserId,
    kind: e.subjectKind, subjectId: e.subjectId, label: e.subjectLabel, action: e.action,
    changes: auditChanges(e.before, e.after).map((c) => ({ field: c.field, before: auditValueText(c.before), after: auditValueText(c.after) })),
  };
}

/** The changes of an entry in one CSV cell: "field: before → after", one per line. */
export function changesText(row: AuditRow): string {
  return row.changes.map((c) => `${c.field}: ${c.before} → ${c.after}`).join('\n');
}
