// Who hears about a ticket's SLA, budget and complaints: its assignee and its component's
// manager; when there is no component manager (or the matter escalates without one), the managers.
import type { Db } from '../db/client.ts';
import { findComponent } from './components.ts';
import type { Ticket } from './tickets.ts';
import { findUser, listActiveUsersByRole, type User } from './users.ts';

export type StaffRecipients = { assignee: User | null; componentManager: User | null; managers: User[] };

export async function staffAround(db: Db, ticket: Pick<Ticket, 'assigneeId' | 'componentId'>): Promise<StaffRecipients> {
  const active = (u: User | undefined) => (u && u.active ? u : null);
  const assignee = ticket.assigneeId ? active(await findUser(db, ticket.assigneeId)) : null;
  const component = ticket.componentId ? await findComponent(db, ticket.componentId) : undefined;
  const componentManager = component?.managerId ? active(await findUser(db, component.managerId)) : null;
  return { assignee, componentManager, managers: await listActiveUsersByRole(db, 'manager') };
}

/** The assignee and the component manager; the managers stand in for a missing component manager. */
export async function noticeRecipients(db: Db, ticket: Pick<Ticket, 'assigneeId' | 'componentId'>, opts: { escalate: boolean }): Promise<{ user: User; asManager: boolean }[]> {
  const s = await staffAround(db, ticket);
  const out = new Map<number, { user: User; asManager: boolean }>();
  if (s.assignee) out.set(s.assignee.id, { user: s.assignee, asManager: false });
  if (s.componentManager) out.set(s.componentManager.id, { user: s.componentManager, asManager: true });
  else if (opts.escalate || out.size === 0) for (const m of s.managers) if (!out.has(m.id)) out.set(m.id, { user: m, asManager: true });
  return [...out.values()];
}
