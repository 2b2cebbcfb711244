// Records one audit log entry, inside the transaction of the change it describes: who (a person,
// by id and their name then, or the system/CLI), what (kind, id, label), the action, and the thing
// before → after with its secrets redacted (domain/audit-entry.ts).
import type { Db } from '../db/client.ts';
import type { Clock } from '../deps.ts';
import { redactSnapshots, type AuditKind, type AuditSnapshot } from '../domain/audit-entry.ts';
import { insertAuditEntry } from '../store/audit-log.ts';
import type { User } from '../store/users.ts';

export type AuditSubject = { kind: AuditKind; id: number | null; label: string };

/** `by`: the person who made the change; null for the system or the command line. */
export async function recordAudit(
  ctx: { db: Db; clock: Clock },
  by: User | null,
  subject: AuditSubject,
  action: string,
  change: { before: AuditSnapshot | null; after: AuditSnapshot | null },
): Promise<void> {
  const { before, after } = redactSnapshots(change.before, change.after);
  await insertAuditEntry(ctx.db, {
    createdAt: ctx.clock.now(),
    actorKind: by ? 'user' : 'system',
    actorUserId: by?.id ?? null,
    actorName: by?.name ?? '',
    subjectKind: subject.kind,
    subjectId: subject.id,
    subjectLabel: subject.label.slice(0, 300),
    action,
    before,
    after,
  });
}

/** The named fields of a row, for a snapshot. */
export function pickFields<T extends object, K extends keyof T>(row: T, keys: readonly K[]): AuditSnapshot {
  return Object.fromEntries(keys.map((k) => [k, row[k]])) as AuditSnapshot;
}
