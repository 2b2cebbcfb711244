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

export async function listSlaPolicies(db: Db): Promise<SlaPolicy[]> {
  return await db.select().from(slaPolicies).orderBy(asc(slaPolicies.name)).all();
}

export async function findSlaPolicy(db: Db, id: number): Promise<SlaPolicy | undefined> {
  return await findRow(db, slaPolicies, 'where id = ?', id);
}

export async function getSlaPolicy(db: Db, id: number): Promise<SlaPolicy> {
  const p = await findSlaPolicy(db, id);
  if (!p) throw notFound('SLA policy');
  return p;
}

export async function insertSlaPolicy(db: Db, p: SlaPolicyInput, now: number): Promise<SlaPolicy> {
  return await db.insert(slaPolicies).values({ ...p, createdAt: now, updatedAt: now }).returning().get();
}

export async function updateSlaPolicy(db: Db, id: number, patch: Partial<SlaPolicyInput>, now: number): Promise<void> {
  await db.update(slaPolicies).set({ ...patch, updatedAt: now }).where(eq(slaPolicies.id, id)).run();
}

export async function deleteSlaPolicy(db: Db, id: number): Promise<void> {
  await db.delete(slaPolicies).where(eq(slaPolicies.id, id)).run();
}

export async function listSlaTargets(db: Db, policyId: number): Promise<SlaTargetRow[]> {
  return await db.select().from(slaTargets).where(eq(slaTargets.policyId, policyId)).all();
}

export async function findSlaTarget(db: Db, policyId: number, priority: Priority): Promise<SlaTargetRow | undefined> {
  return (await listSlaTargets(db, policyId)).find((t) => t.priority === priority);
}

/** Replaces the policy's targets for the given priorities. */
export async function upsertSlaTarget(db: Db, policyId: number, t: SlaTargetInput): Promise<void> {
  const { priority, ...rest } = t;
  await db.insert(slaTargets)
    .values({ policyId, priority, ...rest })
    .onConflictDoUpdate({ target: [slaTargets.policyId, slaTargets.priority], set: rest })
    .run();
}

export async function countOrganizationsUsingPolicy(db: Db, policyId: number): Promise<number> {
  return (await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slaPolicyId, policyId)).all()).length;
}
