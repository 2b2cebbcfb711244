// Organisations: name, mail domains (new requesters from those domains join automatically) and the
// contract fields the workflow rules read (fee, included minutes, rate, reopen limits, time budget,
// SLA policy, covered components and channels). Money is in minor units (cents, kopecks).
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import { CHANNELS } from '../db/schema.ts';
import { listComponents } from '../store/components.ts';
import { findOrganizationIdByDomain } from '../store/contacts.ts';
import { invalid } from '../store/errors.ts';
import { getOrganization, insertOrganization, setOrganizationDomains, updateOrganization, type Organization } from '../store/organizations.ts';
import { slaPolicyExists } from '../store/sla-policy-options.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';

const count = (max: number, what: string) => z.number({ message: `${what}: enter a whole number` }).int().min(0, `${what} cannot be negative`).max(max).nullable().default(null);

export const organizationSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  note: z.string().trim().max(5000).nullable().default(null),
  domains: z
    .array(z.string().trim().toLowerCase().regex(/^(?=.{3,253}$)([a-z0-9-]+\.)+[a-z0-9-]{2,}$/, 'Domains look like example.com'))
    .max(50)
    .default([]),
  monthlyFeeCents: count(1e12, 'Monthly fee'),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'Currency is a three-letter code such as RUB or USD').default('RUB'),
  includedMinutes: count(1e7, 'Included minutes'),
  hourlyRateCents: count(1e10, 'Hourly rate'),
  reopenLimit: count(1000, 'Reopen limit'),
  reopenWindowDays: count(3650, 'Reopen window'),
  ticketTimeBudgetMinutes: count(1e6, 'Time budget'),
  slaPolicyId: z.number().int().positive().nullable().default(null),
  coveredComponentIds: z.array(z.number().int().positive()).nullable().default(null),
  coveredChannels: z.array(z.enum(CHANNELS)).nullable().default(null),
});

export type OrganizationInput = z.input<typeof organizationSchema>;

function check(ctx: Ctx, id: number | null, v: z.infer<typeof organizationSchema>) {
  for (const d of v.domains) {
    const owner = findOrganizationIdByDomain(ctx.db, d);
    if (owner !== undefined && owner !== id) throw invalid(`${d} already belongs to another organization`, { domains: 'Already in use' });
  }
  if (v.slaPolicyId !== null && !slaPolicyExists(ctx.db, v.slaPolicyId)) throw invalid('Choose an existing SLA policy', { slaPolicyId: 'Unknown policy' });
  if (v.coveredComponentIds) {
    const known = new Set(listComponents(ctx.db).map((c) => c.id));
    if (v.coveredComponentIds.some((c) => !known.has(c))) throw invalid('Choose existing components', { coveredComponentIds: 'Unknown component' });
  }
}

function row(v: z.infer<typeof organizationSchema>) {
  const { domains: _domains, ...rest } = v;
  return { ...rest, coveredComponentIds: v.coveredComponentIds?.length ? [...new Set(v.coveredComponentIds)] : null, coveredChannels: v.coveredChannels?.length ? [...new Set(v.coveredChannels)] : null };
}

function nameTaken(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed: organizations\.name/.test(err.message);
}

export function createOrganization(ctx: Ctx, user: User, input: OrganizationInput): Organization {
  requirePermission(user, 'organization.manage');
  const v = parseInput(organizationSchema, input);
  try {
    return inTransaction(ctx.db, () => {
      check(ctx, null, v);
      return insertOrganization(ctx.db, row(v), ctx.clock.now(), v.domains);
    });
  } catch (err) {
    if (nameTaken(err)) throw invalid(`An organization named ${v.name} exists already`, { name: 'Already in use' });
    throw err;
  }
}

export function editOrganization(ctx: Ctx, user: User, id: number, input: OrganizationInput): Organization {
  requirePermission(user, 'organization.manage');
  const v = parseInput(organizationSchema, input);
  try {
    return inTransaction(ctx.db, () => {
      getOrganization(ctx.db, id);
      check(ctx, id, v);
      updateOrganization(ctx.db, id, row(v), ctx.clock.now());
      setOrganizationDomains(ctx.db, id, v.domains);
      return getOrganization(ctx.db, id);
    });
  } catch (err) {
    if (nameTaken(err)) throw invalid(`An organization named ${v.name} exists already`, { name: 'Already in use' });
    throw err;
  }
}
