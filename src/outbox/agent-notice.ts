// Queues a notice to a staff member by mail, if they want that kind of notice. The workflow's SLA
// warnings and breaches use this too, so everyone's choices are honoured in one place.
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { OutboxRow } from '../store/outbox.ts';
import type { Ticket } from '../store/tickets.ts';
import type { User } from '../store/users.ts';
import { wantsNotice, type NoticeKind } from './notify-prefs.ts';
import { queueEmail } from './queue.ts';

export async function queueAgentNotice(
  tx: Db,
  deps: Pick<Deps, 'clock'>,
  input: { user: User; kind: NoticeKind; ticket: Ticket; vars?: Record<string, unknown>; template?: string },
): Promise<OutboxRow | null> {
  const { user } = input;
  if (!wantsNotice(user, input.kind) || !user.email.includes('@')) return null;
  return await queueEmail(
    tx,
    {
      ticketId: input.ticket.id,
      event: input.kind,
      recipient: user.email,
      payload: { template: input.template ?? input.kind, locale: user.locale, vars: { timeZone: user.timeZone, ...input.vars }, auto: true, audience: 'agent' },
    },
    deps.clock.now(),
  );
}
