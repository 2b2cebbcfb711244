import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { PASSWORD, person } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { findLiveSession } from '../store/sessions.ts';
import { getUser } from '../store/users.ts';
import { addStaff, changeOwnPassword, editStaff, setAvailability, updateProfile } from './staff.ts';
import { authenticate, sessionIdOf, startSession } from './users.ts';

describe('staff and profile', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('the admin adds people with a role, language and zone, and deactivating one ends their sessions', async () => {
    const admin = await person(s, 'Admin', 'admin');
    const u = await addStaff(s.ctx, admin, { email: 'new@desk.test', password: 'long enough pw', name: 'Newbie', role: 'agent', locale: 'ru', timeZone: 'Europe/Moscow', available: true });
    expect(u).toMatchObject({ role: 'agent', locale: 'ru', timeZone: 'Europe/Moscow' });
    const token = await startSession(s.ctx, u, {});
    await editStaff(s.ctx, admin, u.id, { name: 'Newbie', role: 'manager', locale: 'ru', timeZone: 'Europe/Moscow', active: false, available: true });
    expect(await getUser(deps.db, u.id)).toMatchObject({ role: 'manager', active: false });
    expect(await findLiveSession(deps.db, sessionIdOf(token), deps.clock.now())).toBeUndefined();
    await expect(editStaff(s.ctx, admin, u.id, { name: 'x', role: 'agent', locale: 'en', timeZone: 'Mars/Olympus', active: true, available: true })).rejects.toThrow(/time zone/);
  });

  it('the admin sets what an hour of someone’s time costs, kept when a form leaves it out', async () => {
    const admin = await person(s, 'Admin', 'admin');
    const base = { name: 'Costly', role: 'agent', locale: 'en', timeZone: 'UTC', active: true, available: true } as const;
    const u = await addStaff(s.ctx, admin, { ...base, email: 'cost@desk.test', password: 'long enough pw', hourlyCostCents: '1 500,50' });
    expect(u.hourlyCostCents).toBe(150_050);
    await editStaff(s.ctx, admin, u.id, base);
    expect((await getUser(deps.db, u.id)).hourlyCostCents).toBe(150_050);
    await editStaff(s.ctx, admin, u.id, { ...base, hourlyCostCents: '' });
    expect((await getUser(deps.db, u.id)).hourlyCostCents).toBeNull();
    await expect(editStaff(s.ctx, admin, u.id, { ...base, hourlyCostCents: 'a lot' })).rejects.toThrow(/not an amount/);
  });

  it('keeps at least one active admin, and only admins manage people', async () => {
    const admin = await person(s, 'Admin', 'admin');
    const agent = await person(s, 'Agent');
    await expect(editStaff(s.ctx, admin, admin.id, { name: 'Admin', role: 'agent', locale: 'en', timeZone: 'UTC', active: true, available: true })).rejects.toThrow(/at least one active administrator/);
    await expect(editStaff(s.ctx, agent, agent.id, { name: 'Agent', role: 'admin', locale: 'en', timeZone: 'UTC', active: true, available: true })).rejects.toThrow(/not allowed/);
  });

  it('people set their own language, zone and availability, and change their password with the current one', async () => {
    const agent = await person(s, 'Agent');
    expect(await updateProfile(s.ctx, agent, { name: 'Агент', locale: 'ru', timeZone: 'Asia/Yekaterinburg', available: false })).toMatchObject({ locale: 'ru', timeZone: 'Asia/Yekaterinburg', available: false });
    expect((await setAvailability(s.ctx, agent, true)).available).toBe(true);
    await expect(changeOwnPassword(s.ctx, agent, { current: 'wrong one', password: 'a brand new password' })).rejects.toThrow(/current password/);
    await changeOwnPassword(s.ctx, agent, { current: PASSWORD, password: 'a brand new password' });
    expect(await authenticate(s.ctx, agent.email, 'a brand new password')).toMatchObject({ ok: true });
  });
});
