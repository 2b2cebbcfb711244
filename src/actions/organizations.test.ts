import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { component, person } from '../../test/helpers/factories.ts';
import { slaPolicies } from '../db/schema.ts';
import { buildServices, type Services } from '../services.ts';
import { findOrganizationIdByDomain } from '../store/contacts.ts';
import { listOrganizationDomains } from '../store/organizations.ts';
import { createOrganization, editOrganization } from './organizations.ts';

describe('organizations', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('keeps the name, domains and every contract field', async () => {
    const boss = await person(s, 'Boss', 'manager');
    const printers = await component(s, 'Printers', []);
    const policy = await deps.db.insert(slaPolicies).values({ name: 'Gold', createdAt: 0, updatedAt: 0 }).returning().get();
    const o = await createOrganization(s.ctx, boss, {
      name: 'Romashka', domains: ['Romashka.RU', 'romashka.ru'], monthlyFeeCents: 6_000_000, currency: 'rub', includedMinutes: 1200,
      hourlyRateCents: 250_000, reopenLimit: 2, reopenWindowDays: 14, ticketTimeBudgetMinutes: 240, slaPolicyId: policy.id,
      coveredComponentIds: [printers.id], coveredChannels: ['email', 'sms'],
    });
    expect(o).toMatchObject({ currency: 'RUB', monthlyFeeCents: 6_000_000, includedMinutes: 1200, reopenLimit: 2, slaPolicyId: policy.id, coveredComponentIds: [printers.id], coveredChannels: ['email', 'sms'] });
    expect(await listOrganizationDomains(deps.db, o.id)).toEqual(['romashka.ru']);
    const edited = await editOrganization(s.ctx, boss, o.id, { name: 'Romashka LLC', domains: ['romashka.com'], currency: 'USD' });
    expect(edited).toMatchObject({ name: 'Romashka LLC', currency: 'USD', monthlyFeeCents: null, coveredChannels: null });
    expect(await findOrganizationIdByDomain(deps.db, 'romashka.ru')).toBeUndefined();
    expect(await findOrganizationIdByDomain(deps.db, 'romashka.com')).toBe(o.id);
  });

  it('refuses taken names and domains, unknown policies, negative numbers; agents may not edit', async () => {
    const boss = await person(s, 'Boss', 'manager');
    const agent = await person(s, 'Agent');
    await createOrganization(s.ctx, boss, { name: 'Acme', domains: ['acme.example'] });
    await expect(createOrganization(s.ctx, boss, { name: 'Acme' })).rejects.toThrow(/named Acme exists/);
    await expect(createOrganization(s.ctx, boss, { name: 'Other', domains: ['acme.example'] })).rejects.toThrow(/already belongs/);
    await expect(createOrganization(s.ctx, boss, { name: 'Other', slaPolicyId: 77 })).rejects.toThrow(/SLA policy/);
    await expect(createOrganization(s.ctx, boss, { name: 'Other', reopenLimit: -1 })).rejects.toThrow(/cannot be negative/);
    await expect(createOrganization(s.ctx, boss, { name: 'Other', currency: 'roubles' })).rejects.toThrow(/three-letter/);
    await expect(createOrganization(s.ctx, agent, { name: 'Mine' })).rejects.toThrow(/not allowed/);
  });
});
