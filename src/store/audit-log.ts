// The audit log's rows: written once (actions/audit.ts), read by the admin page and its CSV.
// There is no update or delete here, and the database refuses both (migration 0034/0029).
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';
import { insertRowOnly } from './rows.ts';

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export async function insertAuditEntry(db: Db, e: NewAuditEntry): Promise<void> {
  await insertRowOnly(db, auditLog, e);
}

/** `from`/`to`: a half-open period in milliseconds; `q`: words in the label, case aside. */
export type AuditFilter = { actorUserId?: number; system?: boolean; kind?: string; from?: number; to?: number; q?: string };

function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function conditions(f: AuditFilter): SQL[] {
  const where: SQL[] = [];
  if (f.actorUserId !== undefined) where.push(eq(auditLog.actorUserId, f.actorUserId));
  if (f.system) where.push(eq(auditLog.actorKind, 'system'));
  if (f.kind) where.push(eq(auditLog.subjectKind, f.kind));
  if (f.from !== undefined) where.push(gte(auditLog.createdAt, f.from));
  if (f.to !== undefined) where.push(lt(auditLog.createdAt, f.to));
  if (f.q) where.push(sql`lower(${auditLog.subjectLabel}) like ${likePattern(f.q)} escape '\\'`);
  return where;
}

/** Newest first; `before`: the id the previous page ended at. */
export async function listAuditEntries(db: Db, f: AuditFilter, page: { limit: number; before?: number }): Promise<AuditEntry[]> {
  const where = conditions(f);
  if (page.before !== undefined) where.push(lt(auditLog.id, page.before));
  return await db.select().from(auditLog).where(where.length ? and(...where) : undefined).orderBy(desc(auditLog.id)).limit(page.limit).all();
}

/** The people who appear in the log, by their latest name there (the filter's choices, leavers included). */
export async function listAuditActors(db: Db): Promise<{ id: number; name: string }[]> {
  const rows = (await db.all(
    `select a.actor_user_id as id, a.actor_name as name from audit_log a
     where a.id in (select max(id) from audit_log where actor_user_id is not null group by actor_user_id) order by a.actor_name`,
  )) as { id: number | string; name: string }[];
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}
