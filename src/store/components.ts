import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { componentAgents, components } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, listRows } from './rows.ts';

export type Component = typeof components.$inferSelect;
export type ComponentInput = Omit<typeof components.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export async function findComponent(db: Db, id: number): Promise<Component | undefined> {
  return await findRow(db, components, 'where id = ?', id);
}

export async function getComponent(db: Db, id: number): Promise<Component> {
  const c = await findComponent(db, id);
  if (!c) throw notFound('Component');
  return c;
}

export async function listComponents(db: Db, opts: { activeOnly?: boolean } = {}): Promise<Component[]> {
  return await listRows(db, components, opts.activeOnly ? 'where active = 1 order by name' : 'order by name');
}

export type ComponentOption = Pick<Component, 'id' | 'name' | 'active'>;

/** Ids and names (for lookups and selects), without the rest of the row. */
export async function listComponentOptions(db: Db, opts: { activeOnly?: boolean } = {}): Promise<ComponentOption[]> {
  const rows = (await db.all(opts.activeOnly ? 'select id, name, active from components where active = 1 order by name' : 'select id, name, active from components order by name')) as { id: number; name: string; active: number }[];
  return rows.map((r) => ({ id: r.id, name: r.name, active: r.active === 1 }));
}

export async function insertComponent(db: Db, c: ComponentInput, now: number, agentIds: number[] = []): Promise<Component> {
  const comp = await db.insert(components).values({ ...c, createdAt: now, updatedAt: now }).returning().get();
  await setComponentAgents(db, comp.id, agentIds);
  return comp;
}

export async function updateComponent(db: Db, id: number, patch: Partial<ComponentInput>, now: number): Promise<void> {
  await db.update(components).set({ ...patch, updatedAt: now }).where(eq(components.id, id)).run();
}

export async function listComponentAgentIds(db: Db, componentId: number): Promise<number[]> {
  return (await db
    .select({ id: componentAgents.userId })
    .from(componentAgents)
    .where(eq(componentAgents.componentId, componentId))
    .all())
    .map((r) => r.id);
}

export async function setComponentAgents(db: Db, componentId: number, userIds: number[]): Promise<void> {
  await db.delete(componentAgents).where(eq(componentAgents.componentId, componentId)).run();
  for (const userId of new Set(userIds)) await db.insert(componentAgents).values({ componentId, userId }).run();
}
