import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { organizationDomains, organizations } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, listRows } from './rows.ts';

export type Organization = typeof organizations.$inferSelect;
export type OrganizationInput = Omit<typeof organizations.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export function findOrganization(db: Db, id: number): Organization | undefined {
  return findRow(db, organizations, 'where id = ?', id);
}

export function getOrganization(db: Db, id: number): Organization {
  const o = findOrganization(db, id);
  if (!o) throw notFound('Organization');
  return o;
}

export function listOrganizations(db: Db): Organization[] {
  return listRows(db, organizations, 'order by name');
}

export function insertOrganization(db: Db, o: OrganizationInput, now: number, domains: string[] = []): Organization {
  const org = db.insert(organizations).values({ ...o, createdAt: now, updatedAt: now }).returning().get();
  setOrganizationDomains(db, org.id, domains);
  return org;
}

export function updateOrganization(db: Db, id: number, patch: Partial<OrganizationInput>, now: number): void {
  db.update(organizations).set({ ...patch, updatedAt: now }).where(eq(organizations.id, id)).run();
}

export function listOrganizationDomains(db: Db, organizationId: number): string[] {
  return db
    .select({ d: organizationDomains.domain })
    .from(organizationDomains)
    .where(eq(organizationDomains.organizationId, organizationId))
    .all()
    .map((r) => r.d);
}

export function setOrganizationDomains(db: Db, organizationId: number, domains: string[]): void {
  db.delete(organizationDomains).where(eq(organizationDomains.organizationId, organizationId)).run();
  for (const d of new Set(domains.map((d) => d.trim().toLowerCase()).filter(Boolean))) {
    db.insert(organizationDomains).values({ domain: d, organizationId }).run();
  }
}
