// The SLA policies an organisation's contract can point at (the policies themselves are edited on
// the workflow admin pages).
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { slaPolicies } from '../db/schema.ts';

export async function listSlaPolicyOptions(db: Db): Promise<{ id: number; name: string }[]> {
  return await db.select({ id: slaPolicies.id, name: slaPolicies.name }).from(slaPolicies).orderBy(asc(slaPolicies.name)).all();
}

export async function slaPolicyExists(db: Db, id: number): Promise<boolean> {
  return !!await db.select({ id: slaPolicies.id }).from(slaPolicies).where(eq(slaPolicies.id, id)).get();
}
