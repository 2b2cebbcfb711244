import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { organizationDomains, organizations } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, listRows } from './rows.ts';

export type Organization = typeof organizations.$inferSelect;
export type OrganizationInput = Omit<typeof organizations.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export async function findOrganization(db: Db, id: number): Promise<Organization | undefined> {
  return await findRow(db, organizations, 'where id = ?', id);
}

export async function getOrganization(db: Db, id: number): Promise<Organization> {
  const o = await findOrganization(db, id);
  if (!o) throw notFound('Organization');
  return o;
}

export async function listOrganizations(db: Db): Promise<Organization[]> {
  return await listRows(db, organizations, 'order by name');
}

export async function insertOrganization(db: Db, o: OrganizationInput, now: number, domains: string[] = []): Promise<Organization> {
  const org = await db.insert(organizations).values({ ...o, createdAt: now, updatedAt: now }).returning().get();
  await setOrganizationDomains(db, org.id, domains);
  return org;
}

export async function updateOrganization(db: Db, id: number, patch: Partial<OrganizationInput>, now: number): Promise<void> {
  await db.update(organizations).set({ ...patch, updatedAt: now }).where(eq(organizations.id, id)).run();
}

export async function listOrganizationDomains(db: Db, organizationId: number): Promise<string[]> {
  return (await db
    .select({ d: organizationDomains.domain })
    .from(organizationDomains)
    .where(eq(organizationDomains.organizationId, organizationId))
    .all())
    .map((r) => r.d);
}

export async function setOrganizationDomains(db: Db, organizationId: number, domains: string[]): Promise<void> {
  await db.delete(organizationDomains).where(eq(organizationDomains.organizationId, organizationId)).run();
  for (const d of new Set(domains.map((d) => d.trim().toLowerCase()).filter(Boolean))) {
    await db.insert(organizationDomains).values({ domain: d, organizationId }).run();
  }
}
