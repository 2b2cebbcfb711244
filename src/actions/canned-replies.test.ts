import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person, ticket } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { cannedTextFor, createCannedReply, editCannedReply, removeCannedReply } from './canned-replies.ts';

describe('canned replies', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('managers keep canned replies; agents get them filled in for the ticket', async () => {
    const boss = await person(s, 'Olga', 'manager');
    const agent = await person(s, 'Sarah Lee');
    const c = await createCannedReply(s.ctx, boss, { title: 'Restart', body: 'Hello {{requester.name}}, ticket #{{ticket.number}}: restart please. — {{agent.name}}' });
    const t = await ticket(s, agent);
    expect(await cannedTextFor(s.ctx, agent, t, c.id)).toBe(`Hello Anna Petrova, ticket #${t.number}: restart please. — Sarah Lee`);
    await expect(createCannedReply(s.ctx, agent, { title: 'x', body: 'y' })).rejects.toThrow(/not allowed/);
    await editCannedReply(s.ctx, boss, c.id, { title: 'Restart', body: '{{requester.email}}', locale: 'en' });
    expect(await cannedTextFor(s.ctx, agent, t, c.id)).toBe('anna@client.example');
    await removeCannedReply(s.ctx, boss, c.id);
    await expect(cannedTextFor(s.ctx, agent, t, c.id)).rejects.toThrow(/not found/);
  });
});
