// Components (Printers, Network & VPN, 1C…): the queue a ticket belongs to, its manager, the agents
// who work it, how new tickets are assigned, and the routing keywords and address aliases intake reads.
import { z } from 'zod';
import { inTransaction, isUniqueViolation } from '../db/client.ts';
import { getComponent, insertComponent, listComponentAgentIds, setComponentAgents, updateComponent, type Component } from '../store/components.ts';
import { invalid } from '../domain/errors.ts';
import { findUser, type User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';
import { pickFields, recordAudit } from './audit.ts';

const AUDITED = ['name', 'description', 'managerId', 'autoAssign', 'keywords', 'emailAliases', 'active'] as const;

/** A component and its members (agent ids, in order) as the audit log keeps them. */
async function componentSnapshot(ctx: Ctx, c: Component) {
  return { ...pickFields(c, AUDITED), agentIds: [...(await listComponentAgentIds(ctx.db, c.id))].sort((a, b) => a - b) };
}

export const componentSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(120),
  description: z.string().trim().max(2000).nullable().default(null),
  managerId: z.number().int().positive().nullable().default(null),
  agentIds: z.array(z.number().int().positive()).max(500).default([]),
  autoAssign: z.enum(['off', 'least_loaded', 'round_robin']).default('off'),
  keywords: z.array(z.string().trim().toLowerCase().min(1).max(60)).max(100).default([]),
  emailAliases: z.array(z.email({ message: 'Aliases are email addresses' }).transform((e) => e.toLowerCase())).max(50).default([]),
  active: z.boolean().default(true),
});

export type ComponentInput = z.input<typeof componentSchema>;

async function check(ctx: Ctx, v: z.infer<typeof componentSchema>) {
  for (const id of [...(v.managerId ? [v.managerId] : []), ...v.agentIds]) {
    const u = await findUser(ctx.db, id);
    if (!u || !u.active) throw invalid('Choose active people', { agentIds: 'Unknown person' });
  }
}

function nameTaken(err: unknown): boolean {
  return isUniqueViolation(err, 'components', 'name');
}

export async function createComponent(ctx: Ctx, user: User, input: ComponentInput): Promise<Component> {
  requirePermission(user, 'component.manage');
  const v = parseInput(componentSchema, input);
  try {
    return await inTransaction(ctx.db, async () => {
      await check(ctx, v);
      const { agentIds, ...fields } = v;
      const made = await insertComponent(ctx.db, fields, ctx.clock.now(), agentIds);
      await recordAudit(ctx, user, { kind: 'component', id: made.id, label: made.name }, 'created', { before: null, after: await componentSnapshot(ctx, made) });
      return made;
    });
  } catch (err) {
    if (nameTaken(err)) throw invalid(`A component named ${v.name} exists already`, { name: 'Already in use' });
    throw err;
  }
}

export async function editComponent(ctx: Ctx, user: User, id: number, input: ComponentInput): Promise<Component> {
  requirePermission(user, 'component.manage');
  const v = parseInput(componentSchema, input);
  try {
    return await inTransaction(ctx.db, async () => {
      const before = await componentSnapshot(ctx, await getComponent(ctx.db, id));
      await check(ctx, v);
      const { agentIds, ...fields } = v;
      await updateComponent(ctx.db, id, fields, ctx.clock.now());
      await setComponentAgents(ctx.db, id, agentIds);
      const after = await getComponent(ctx.db, id);
      await recordAudit(ctx, user, { kind: 'component', id, label: after.name }, 'updated', { before, after: await componentSnapshot(ctx, after) });
      return after;
    });
  } catch (err) {
    if (nameTaken(err)) throw invalid(`A component named ${v.name} exists already`, { name: 'Already in use' });
    throw err;
  }
}
