// What the audit log keeps of a person: their settings, and the password hash only as "set" or
// "changed" (domain/audit-entry.ts redacts it).
import type { Db } from '../db/client.ts';
import type { Clock } from '../deps.ts';
import type { User } from '../store/users.ts';
import { pickFields, recordAudit } from './audit.ts';

const USER_FIELDS = ['email', 'name', 'role', 'locale', 'timeZone', 'hourlyCostCents', 'available', 'active', 'passwordHash'] as const;

export function userSnapshot(u: User) {
  return pickFields(u, USER_FIELDS);
}

/** `by`: who changed the person; null for the system or the command line. */
export async function auditUser(ctx: { db: Db; clock: Clock }, by: User | null, action: string, before: User | null, after: User): Promise<void> {
  await recordAudit(ctx, by, { kind: 'user', id: after.id, label: `${after.name} <${after.email}>` }, action, {
    before: before && userSnapshot(before), after: userSnapshot(after),
  });
}
