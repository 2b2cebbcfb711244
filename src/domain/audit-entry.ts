// The audit log's rules: which fields are secrets (never written, only "set" or "changed") and
// which fields an entry changed, for the page and the CSV.

/** The kinds of thing the audit log records changes to. */
export const AUDIT_KINDS = ['user', 'api_token', 'component', 'mailbox', 'delivery', 'calendar', 'sla_policy', 'workflow', 'contract', 'kb_category'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export type AuditSnapshot = Record<string, unknown>;

/** Field names holding a secret: passwords and their hashes, tokens, sealed credentials, keys. */
const SECRET = /(password|passwordhash|secret|token|tokenhash|sealed|apikey|authtoken|privatekey)$/i;

export function isSecretField(name: string): boolean {
  return SECRET.test(name);
}

const SET = 'set';
const CHANGED = 'changed';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function hide(value: unknown, marker: string): unknown {
  return value === null || value === undefined || value === '' ? null : marker;
}

function redactOne(s: AuditSnapshot, other: AuditSnapshot | null, isAfter: boolean): AuditSnapshot {
  const out: AuditSnapshot = {};
  for (const [k, v] of Object.entries(s)) {
    if (isSecretField(k)) out[k] = hide(v, isAfter && other !== null && !same(other[k], v) ? CHANGED : SET);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = other?.[k];
      out[k] = redactOne(v as AuditSnapshot, o && typeof o === 'object' && !Array.isArray(o) ? (o as AuditSnapshot) : null, isAfter);
    } else out[k] = v;
  }
  return out;
}

/**
 * The before and after an entry keeps: every secret replaced by "set" (or "changed" on the after
 * side when it differs from the before), nested objects too; no secret value ever leaves here.
 */
export function redactSnapshots(before: AuditSnapshot | null, after: AuditSnapshot | null): { before: AuditSnapshot | null; after: AuditSnapshot | null } {
  return {
    before: before && redactOne(before, after, false),
    after: after && redactOne(after, before, true),
  };
}

export type AuditChange = { field: string; before: unknown; after: unknown };

/** The fields whose value differs between before and after (a creation lists every field that has one). */
export function auditChanges(before: AuditSnapshot | null, after: AuditSnapshot | null): AuditChange[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields
    .map((field) => ({ field, before: before?.[field] ?? null, after: after?.[field] ?? null }))
    .filter((c) => !same(c.before, c.after));
}

/** A value as the page and the CSV show it. */
export function auditValueText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map(auditValueText).join(', ') : '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
