import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { componentAgents, components } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, listRows } from './rows.ts';

export type Component = typeof components.$inferSelect;
export type ComponentInput = Omit<typeof components.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export function findComponent(db: Db, id: number): Component | undefined {
  return findRow(db, components, 'where id = ?', id);
}

export function getComponent(db: Db, id: number): Component {
  const c = findComponent(db, id);
  if (!c) throw notFound('Component');
  return c;
}

export function listComponents(db: Db, opts: { activeOnly?: boolean } = {}): Component[] {
  return listRows(db, components, opts.activeOnly ? 'where active = 1 order by name' : 'order by name');
}

export type ComponentOption = Pick<Component, 'id' | 'name' | 'active'>;

/** Ids and names (for lookups and selects), without the rest of the row. */
export function listComponentOptions(db: Db, opts: { activeOnly?: boolean } = {}): ComponentOption[] {
  const rows = db.$client
    .prepare(opts.activeOnly ? 'select id, name, active from components where active = 1 order by name' : 'select id, name, active from components order by name')
    .all() as { id: number; name: string; active: number }[];
  return rows.map((r) => ({ id: r.id, name: r.name, active: r.active === 1 }));
}

export function insertComponent(db: Db, c: ComponentInput, now: number, agentIds: number[] = []): Component {
  const comp = db.insert(components).values({ ...c, createdAt: now, updatedAt: now }).returning().get();
  setComponentAgents(db, comp.id, agentIds);
  return comp;
}

export function updateComponent(db: Db, id: number, patch: Partial<ComponentInput>, now: number): void {
  db.update(components).set({ ...patch, updatedAt: now }).where(eq(components.id, id)).run();
}

export function listComponentAgentIds(db: Db, componentId: number): number[] {
  return db
    .select({ id: componentAgents.userId })
    .from(componentAgents)
    .where(eq(componentAgents.componentId, componentId))
    .all()
    .map((r) => r.id);
}

export function setComponentAgents(db: Db, componentId: number, userIds: number[]): void {
  db.delete(componentAgents).where(eq(componentAgents.componentId, componentId)).run();
  for (const userId of new Set(userIds)) db.insert(componentAgents).values({ componentId, userId }).run();
}
