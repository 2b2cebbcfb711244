import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { componentAgents, components } from '../db/schema.ts';
import { notFound } from './errors.ts';

export type Component = typeof components.$inferSelect;
export type ComponentInput = Omit<typeof components.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export function findComponent(db: Db, id: number): Component | undefined {
  return db.select().from(components).where(eq(components.id, id)).get();
}

export function getComponent(db: Db, id: number): Component {
  const c = findComponent(db, id);
  if (!c) throw notFound('Component');
  return c;
}

export function listComponents(db: Db, opts: { activeOnly?: boolean } = {}): Component[] {
  const q = db.select().from(components);
  return (opts.activeOnly ? q.where(eq(components.active, true)) : q).orderBy(asc(components.name)).all();
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
