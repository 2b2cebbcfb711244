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
  beforeEach(() => {
    deps = makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('keeps manager, agents, assignment mode and routing words; people see their components', async () => {
    const boss = await person(s, 'Olga', 'manager');
    const [a, b] = [await person(s, 'A'), await person(s, 'B')];
    const c = createComponent(s.ctx, boss, { name: 'Printers', managerId: boss.id, agentIds: [a.id, b.id], autoAssign: 'round_robin', keywords: ['Printer', 'принтер'], emailAliases: ['Printers@Desk.example'] });
    expect(c).toMatchObject({ managerId: boss.id, autoAssign: 'round_robin', keywords: ['printer', 'принтер'], emailAliases: ['printers@desk.example'], active: true });
    expect(listComponentAgentIds(deps.db, c.id).sort()).toEqual([a.id, b.id].sort());
    expect(listUserComponentIds(deps.db, boss.id)).toEqual([c.id]);
    editComponent(s.ctx, boss, c.id, { name: 'Printers', agentIds: [b.id], active: false });
    expect(listComponentAgentIds(deps.db, c.id)).toEqual([b.id]);
    expect(listUserComponentIds(deps.db, a.id)).toEqual([]);
    expect(() => createComponent(s.ctx, boss, { name: 'Printers' })).toThrow(/exists already/);
    expect(() => createComponent(s.ctx, boss, { name: 'X', agentIds: [999] })).toThrow(/active people/);
    expect(() => createComponent(s.ctx, a, { name: 'Mine' })).toThrow(/not allowed/);
  });
});
