import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { listComponentAgentIds } from '../store/components.ts';
import { listUserComponentIds } from '../store/agent-loads.ts';
import { createComponent, editComponent } from './components.ts';

describe('components', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('keeps manager, agents, assignment mode and routing words; people see their components', async () => {
    const boss = await person(s, 'Olga', 'manager');
    const [a, b] = [await person(s, 'A'), await person(s, 'B')];
    const c = await createComponent(s.ctx, boss, { name: 'Printers', managerId: boss.id, agentIds: [a.id, b.id], autoAssign: 'round_robin', keywords: ['Printer', 'принтер'], emailAliases: ['Printers@Desk.example'] });
    expect(c).toMatchObject({ managerId: boss.id, autoAssign: 'round_robin', keywords: ['printer', 'принтер'], emailAliases: ['printers@desk.example'], active: true });
    expect((await listComponentAgentIds(deps.db, c.id)).sort()).toEqual([a.id, b.id].sort());
    expect(await listUserComponentIds(deps.db, boss.id)).toEqual([c.id]);
    await editComponent(s.ctx, boss, c.id, { name: 'Printers', agentIds: [b.id], active: false });
    expect(await listComponentAgentIds(deps.db, c.id)).toEqual([b.id]);
    expect(await listUserComponentIds(deps.db, a.id)).toEqual([]);
    await expect(createComponent(s.ctx, boss, { name: 'Printers' })).rejects.toThrow(/exists already/);
    await expect(createComponent(s.ctx, boss, { name: 'X', agentIds: [999] })).rejects.toThrow(/active people/);
    await expect(createComponent(s.ctx, a, { name: 'Mine' })).rejects.toThrow(/not allowed/);
  });
});
