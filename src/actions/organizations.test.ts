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
  beforeEach(() => {
    deps = makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('keeps the name, domains and every contract field', async () => {
    const boss = await person(s, 'Boss', 'manager');
    const printers = component(s, 'Printers', []);
    const policy = deps.db.insert(slaPolicies).values({ name: 'Gold', createdAt: 0, updatedAt: 0 }).returning().get();
    const o = createOrganization(s.ctx, boss, {
      name: 'Romashka', domains: ['Romashka.RU', 'romashka.ru'], monthlyFeeCents: 6_000_000, currency: 'rub', includedMinutes: 1200,
      hourlyRateCents: 250_000, reopenLimit: 2, reopenWindowDays: 14, ticketTimeBudgetMinutes: 240, slaPolicyId: policy.id,
      coveredComponentIds: [printers.id], coveredChannels: ['email', 'sms'],
    });
    expect(o).toMatchObject({ currency: 'RUB', monthlyFeeCents: 6_000_000, includedMinutes: 1200, reopenLimit: 2, slaPolicyId: policy.id, coveredComponentIds: [printers.id], coveredChannels: ['email', 'sms'] });
    expect(listOrganizationDomains(deps.db, o.id)).toEqual(['romashka.ru']);
    const edited = editOrganization(s.ctx, boss, o.id, { name: 'Romashka LLC', domains: ['romashka.com'], currency: 'USD' });
    expect(edited).toMatchObject({ name: 'Romashka LLC', currency: 'USD', monthlyFeeCents: null, coveredChannels: null });
    expect(findOrganizationIdByDomain(deps.db, 'romashka.ru')).toBeUndefined();
    expect(findOrganizationIdByDomain(deps.db, 'romashka.com')).toBe(o.id);
  });

  it('refuses taken names and domains, unknown policies, negative numbers; agents may not edit', async () => {
    const boss = await person(s, 'Boss', 'manager');
    const agent = await person(s, 'Agent');
    createOrganization(s.ctx, boss, { name: 'Acme', domains: ['acme.example'] });
    expect(() => createOrganization(s.ctx, boss, { name: 'Acme' })).toThrow(/named Acme exists/);
    expect(() => createOrganization(s.ctx, boss, { name: 'Other', domains: ['acme.example'] })).toThrow(/already belongs/);
    expect(() => createOrganization(s.ctx, boss, { name: 'Other', slaPolicyId: 77 })).toThrow(/SLA policy/);
    expect(() => createOrganization(s.ctx, boss, { name: 'Other', reopenLimit: -1 })).toThrow(/cannot be negative/);
    expect(() => createOrganization(s.ctx, boss, { name: 'Other', currency: 'roubles' })).toThrow(/three-letter/);
    expect(() => createOrganization(s.ctx, agent, { name: 'Mine' })).toThrow(/not allowed/);
  });
});
