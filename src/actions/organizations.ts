// Organisations: name, mail domains (new requesters from those domains join automatically) and the
// contract fields the workflow rules read (fee, included minutes, rate, reopen limits, time budget,
// SLA policy, covered components and channels). Money is in minor units (cents, kopecks).
import { z } from 'zod';
import { inTransaction, isUniqueViolation } from '../db/client.ts';
import { findOrganizationIdByDomain } from '../store/contacts.ts';
import { invalid } from '../domain/errors.ts';
import { getOrganization, insertOrganization, setOrganizationDomains, updateOrganization, type Organization } from '../store/organizations.ts';
import type { User } from '../store/users.ts';
import { checkContractReferences, contractSchema } from './contract-schema.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';

export const organizationSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  note: z.string().trim().max(5000).nullable().default(null),
  domains: z
    .array(z.string().trim().toLowerCase().regex(/^(?=.{3,253}$)([a-z0-9-]+\.)+[a-z0-9-]{2,}$/, 'Domains look like example.com'))
    .max(50)
    .default([]),
  ...contractSchema.shape,
});

export type OrganizationInput = z.input<typeof organizationSchema>;

async function check(ctx: Ctx, id: number | null, v: z.infer<typeof organizationSchema>) {
  for (const d of v.domains) {
    const owner = await findOrganizationIdByDomain(ctx.db, d);
    if (owner !== undefined && owner !== id) throw invalid(`${d} already belongs to another organization`, { domains: 'Already in use' });
  }
  await checkContractReferences(ctx.db, v);
}

function row(v: z.infer<typeof organizationSchema>) {
  const { domains: _domains, ...rest } = v;
  return rest;
}

function nameTaken(err: unknown): boolean {
  return isUniqueViolation(err, 'organizations', 'name');
}

export async function createOrganization(ctx: Ctx, user: User, input: OrganizationInput): Promise<Organization> {
  requirePermission(user, 'organization.manage');
  const v = parseInput(organizationSchema, input);
  try {
    return await inTransaction(ctx.db, async () => {
      await check(ctx, null, v);
      return await insertOrganization(ctx.db, row(v), ctx.clock.now(), v.domains);
    });
  } catch (err) {
    if (nameTaken(err)) throw invalid(`An organization named ${v.name} exists already`, { name: 'Already in use' });
    throw err;
  }
}

export async function editOrganization(ctx: Ctx, user: User, id: number, input: OrganizationInput): Promise<Organization> {
  requirePermission(user, 'organization.manage');
  const v = parseInput(organizationSchema, input);
  try {
    return await inTransaction(ctx.db, async () => {
      await getOrganization(ctx.db, id);
      await check(ctx, id, v);
      await updateOrganization(ctx.db, id, row(v), ctx.clock.now());
      await setOrganizationDomains(ctx.db, id, v.domains);
      return await getOrganization(ctx.db, id);
    });
  } catch (err) {
    if (nameTaken(err)) throw invalid(`An organization named ${v.name} exists already`, { name: 'Already in use' });
    throw err;
  }
}
