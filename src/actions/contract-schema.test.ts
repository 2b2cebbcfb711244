// The contract's rules hold the same whichever way a contract arrives: typed (API, organisation
// form) through createOrganization, or as the contract form's text through saveContract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { component, person } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { AppError } from '../domain/errors.ts';
import { getOrganization, insertOrganization } from '../store/organizations.ts';
import type { User } from '../store/users.ts';
import type { ContractForm, ContractInput } from './contract-schema.ts';
import { createOrganization } from './organizations.ts';
import { saveContract } from './sla-admin.ts';

describe('contract rules', () => {
  let deps: TestDeps;
  let s: Services;
  let boss: User;
  let orgId: number;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    boss = await person(s, 'Boss', 'manager');
    orgId = (await insertOrganization(deps.db, { name: 'Client' }, deps.clock.now())).id;
  });
  afterEach(() => deps.close());

  const fields = async (fn: () => Promise<unknown>): Promise<Record<string, string> | 'accepted'> => {
    try {
      await fn();
      return 'accepted';
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return err.details.fields as Record<string, string>;
      throw err;
    }
  };
  let n = 0;
  const viaOrganization = (contract: ContractInput) => fields(async () => await createOrganization(s.ctx, boss, { ...contract, name: `Org ${++n}` }));
  const viaForm = (form: ContractForm) => fields(async () => await saveContract(s.ctx, { kind: 'user', user: boss }, orgId, { allComponents: true, allChannels: true, ...form }));

  it('accepts and refuses the same values on both paths', async () => {
    expect(await viaOrganization({ reopenLimit: 100 })).toBe('accepted');
    expect(await viaForm({ reopenLimit: '100' })).toBe('accepted');
    expect(await viaOrganization({ reopenLimit: 101 })).toEqual({ reopenLimit: 'Reopen limit: at most 100' });
    expect(await viaForm({ reopenLimit: '101' })).toEqual({ reopenLimit: 'Reopen limit: at most 100' });
    expect((await getOrganization(deps.db, orgId)).reopenLimit).toBe(100);

    // 10 000 000 000.00 is the largest fee; the form took any amount before
    expect(await viaOrganization({ monthlyFeeCents: 1e12 })).toBe('accepted');
    expect(await viaForm({ monthlyFee: '10000000000' })).toBe('accepted');
    expect(await viaOrganization({ monthlyFeeCents: 1e12 + 1 })).toEqual({ monthlyFeeCents: 'The monthly fee is too large' });
    expect(await viaForm({ monthlyFee: '10000000000.01' })).toEqual({ monthlyFee: 'The monthly fee is too large' });
    expect(await viaOrganization({ hourlyRateCents: 1e10 + 1 })).toEqual({ hourlyRateCents: 'The hourly rate is too large' });
    expect(await viaForm({ hourlyRate: '100000000.01' })).toEqual({ hourlyRate: 'The hourly rate is too large' });

    expect(await viaOrganization({ includedMinutes: 1e7 + 1 })).toEqual({ includedMinutes: 'Included minutes: at most 10000000' });
    expect(await viaForm({ includedTime: `${1e7 + 1}` })).toEqual({ includedTime: 'Included minutes: at most 10000000' });
    expect(await viaOrganization({ ticketTimeBudgetMinutes: 1e6 + 1 })).toEqual({ ticketTimeBudgetMinutes: 'Time budget: at most 1000000' });
    expect(await viaForm({ timeBudget: '16667h' })).toEqual({ timeBudget: 'Time budget: at most 1000000' });
    expect(await viaOrganization({ reopenWindowDays: 3651 })).toEqual({ reopenWindowDays: 'Reopen window: at most 3650' });
    expect(await viaForm({ reopenWindowDays: '3651' })).toEqual({ reopenWindowDays: 'Reopen window: at most 3650' });

    const currency = { currency: 'Currency is a three-letter code such as RUB or USD' };
    expect(await viaOrganization({ currency: 'roubles' })).toEqual(currency);
    expect(await viaForm({ currency: 'roubles' })).toEqual(currency);
    expect(await viaOrganization({ slaPolicyId: 77 })).toEqual({ slaPolicyId: 'Unknown policy' });
    expect(await viaForm({ slaPolicyId: '77' })).toEqual({ slaPolicyId: 'Unknown policy' });
  });

  it('the form names every field it cannot read, keyed by the form’s field names', async () => {
    expect(await viaForm({ monthlyFee: 'lots', currency: 'roubles', includedTime: 'soon', hourlyRate: '-5', reopenLimit: 'two', reopenWindowDays: '-1', timeBudget: '4 weeks', slaPolicyId: 'gold', allComponents: false, allChannels: false })).toEqual({
      monthlyFee: '“lots” is not an amount like 1500 or 1500.50',
      currency: 'Currency is a three-letter code such as RUB or USD',
      includedTime: '“soon” is not a duration like 20h or 90m',
      hourlyRate: '“-5” is not an amount like 1500 or 1500.50',
      reopenLimit: 'A whole number from 0 to 100, or empty for no limit',
      reopenWindowDays: 'A whole number from 0 to 3650, or empty for no limit',
      timeBudget: '“4 weeks” is not a duration like 20h or 90m',
      slaPolicyId: 'Choose an existing SLA policy',
      componentIds: 'Tick the covered components, or “all components”',
      channels: 'Tick the covered channels, or “all channels”',
    });
  });

  it('stores what the form says; empty fields mean no limit, "all" means everything', async () => {
    const printers = await component(s, 'Printers', []);
    expect(await viaForm({ monthlyFee: '1 500,50', currency: ' usd ', includedTime: '20h', hourlyRate: '2500', reopenLimit: '0', reopenWindowDays: '', timeBudget: '1h30m', allComponents: false, componentIds: [String(printers.id), String(printers.id)], allChannels: false, channels: ['email', 'sms'] })).toBe('accepted');
    expect(await getOrganization(deps.db, orgId)).toMatchObject({
      monthlyFeeCents: 150_050, currency: 'USD', includedMinutes: 1200, hourlyRateCents: 250_000, reopenLimit: 0, reopenWindowDays: null,
      ticketTimeBudgetMinutes: 90, slaPolicyId: null, coveredComponentIds: [printers.id], coveredChannels: ['email', 'sms'],
    });
    expect(await viaForm({ componentIds: [String(printers.id)], channels: ['email'] })).toBe('accepted');
    expect(await getOrganization(deps.db, orgId)).toMatchObject({ monthlyFeeCents: null, currency: 'RUB', includedMinutes: null, reopenLimit: null, coveredComponentIds: null, coveredChannels: null });
  });

  it('a component that does not exist (any more) is refused on both paths', async () => {
    const printers = await component(s, 'Printers', []);
    expect(await viaOrganization({ coveredComponentIds: [printers.id + 1] })).toEqual({ coveredComponentIds: 'Unknown component' });
    expect(await viaForm({ allComponents: false, componentIds: [String(printers.id), String(printers.id + 1)] })).toEqual({ componentIds: 'Unknown component' });
    expect((await getOrganization(deps.db, orgId)).coveredComponentIds).toBeNull();
  });
});
