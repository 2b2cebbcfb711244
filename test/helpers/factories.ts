// Small builders for console tests: people, components, tickets, with the real actions and stores.
import type { Services } from '../../src/services.ts';
import { createUser } from '../../src/actions/users.ts';
import { createTicket } from '../../src/actions/tickets.ts';
import type { Role } from '../../src/db/schema.ts';
import { insertComponent, type ComponentInput } from '../../src/store/components.ts';
import { updateUser, type User } from '../../src/store/users.ts';
import type { Ticket } from '../../src/store/tickets.ts';

export const PASSWORD = 'correct horse battery';

export async function person(s: Services, name: string, role: Role = 'agent', opts: { available?: boolean; email?: string } = {}): Promise<User> {
  const email = opts.email ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@desk.test`;
  const u = await createUser(s.ctx, { email, name, role, password: PASSWORD });
  if (opts.available === false) await updateUser(s.ctx.db, u.id, { available: false }, s.ctx.clock.now());
  return { ...u, available: opts.available ?? true };
}

export async function component(s: Services, name: string, agents: User[], extra: Partial<ComponentInput> = {}) {
  return await insertComponent(s.ctx.db, { name, ...extra }, s.ctx.clock.now(), agents.map((a) => a.id));
}

export async function ticket(s: Services, by: User | null, extra: Partial<Parameters<typeof createTicket>[2]> = {}): Promise<Ticket> {
  return await createTicket(s.ctx, by ? { kind: 'user', user: by } : { kind: 'system' }, {
    subject: 'Printer jams', body: 'Every page jams.', requesterEmail: 'anna@client.example', requesterName: 'Anna Petrova', ...extra,
  });
}
