// SLA policies and their per-priority targets (business minutes).
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { organizations, slaPolicies, slaTargets, type Priority } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow } from './rows.ts';

export type SlaPolicy = typeof slaPolicies.$inferSelect;
export type SlaTargetRow = typeof slaTargets.$inferSelect;
export type SlaPolicyInput = Pick<SlaPolicy, 'name' | 'calendarId' | 'warningPercent' | 'pauseOnThirdParty' | 'escalationMinutes'>;
export type SlaTargetInput = Omit<SlaTargetRow, 'id' | 'policyId'>;

export function listSlaPolicies(db: Db): SlaPolicy[] {
  return db.select().from(slaPolicies).orderBy(asc(slaPolicies.name)).all();
}

export function findSlaPolicy(db: Db, id: number): SlaPolicy | undefined {
  return findRow(db, slaPolicies, 'where id = ?', id);
}

export function getSlaPolicy(db: Db, id: number): SlaPolicy {
  const p = findSlaPolicy(db, id);
  if (!p) throw notFound('SLA policy');
  return p;
}

export function insertSlaPolicy(db: Db, p: SlaPolicyInput, now: number): SlaPolicy {
  return db.insert(slaPolicies).values({ ...p, createdAt: now, updatedAt: now }).returning().get();
}

export function updateSlaPolicy(db: Db, id: number, patch: Partial<SlaPolicyInput>, now: number): void {
  db.update(slaPolicies).set({ ...patch, updatedAt: now }).where(eq(slaPolicies.id, id)).run();
}

export function deleteSlaPolicy(db: Db, id: number): void {
  db.delete(slaPolicies).where(eq(slaPolicies.id, id)).run();
}

export function listSlaTargets(db: Db, policyId: number): SlaTargetRow[] {
  return db.select().from(slaTargets).where(eq(slaTargets.policyId, policyId)).all();
}

export function findSlaTarget(db: Db, policyId: number, priority: Priority): SlaTargetRow | undefined {
  return listSlaTargets(db, policyId).find((t) => t.priority === priority);
}

/** Replaces the policy's targets for the given priorities. */
export function upsertSlaTarget(db: Db, policyId: number, t: SlaTargetInput): void {
  const { priority, ...rest } = t;
  db.insert(slaTargets)
    .values({ policyId, priority, ...rest })
    .onConflictDoUpdate({ target: [slaTargets.policyId, slaTargets.priority], set: rest })
    .run();
}

export function countOrganizationsUsingPolicy(db: Db, policyId: number): number {
  return db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slaPolicyId, policyId)).all().length;
}
