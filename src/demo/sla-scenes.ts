// Tickets whose SLA is overdue or at risk at the moment the demo is seeded. Each is opened as far
// back as its own policy's business calendar says, so the queue's "overdue and at risk" view has
// them whenever the demo runs: the overdue ones on any calendar, the ones at risk on the
// round-the-clock policy (on a 9-to-6 calendar nothing can fall due within the hour at night).
import { changeStatus, assignTicket, replyToTicket } from '../actions/tickets.ts';
import { updateTicketFields } from '../actions/ticket-fields.ts';
import { subtractBusinessTime } from '../domain/business-calendar.ts';
import type { Priority } from '../domain/vocabulary.ts';
import { findOrganizationIdByDomain } from '../store/contacts.ts';
import { loadSlaConfig } from '../store/sla-config.ts';
import { actor, MINUTE, playAt, receiveMail, type Cast } from './cast.ts';
import type { DemoMail } from './raw-mail.ts';

type SlaScene = {
  mail: Omit<DemoMail, 'id' | 'date'>;
  priority: Priority;
  /** the target the queue shows for the ticket: its first response (none given) or its resolution */
  target: 'firstResponse' | 'resolution';
  /** business minutes left to the target now; negative: overdue by that much */
  dueInMinutes: number;
  agent?: string;
  /** the agent's first answer, this many minutes after the ticket was opened */
  answer?: { afterMinutes: number; body: string };
};

export const SLA_SCENES: SlaScene[] = [
  {
    mail: { from: 'i.sokolova@romashka.ru', name: 'Ирина Соколова', subject: 'Касса в магазине на Ленина не пробивает чеки', body: 'Здравствуйте!\n\nС утра касса №2 выдаёт ошибку ФН и не пробивает чеки. Покупатели ждут, работаем одной кассой.\n\nИрина Соколова, старший кассир' },
    priority: 'high', target: 'firstResponse', dueInMinutes: -90,
  },
  {
    mail: { from: 'd.brown@acme.example', name: 'David Brown', subject: 'Label printer in warehouse B offline', body: 'Hi,\n\nthe Zebra label printer at the packing line in warehouse B shows offline since the night shift. We are writing labels by hand.\n\nDavid' },
    priority: 'normal', target: 'resolution', dueInMinutes: -180, agent: 'dmitry@desk.example',
    answer: { afterMinutes: 40, body: 'Hi David, the print server lost the printer after a firmware update. I am rolling it back; I will write when it is done.' },
  },
  {
    mail: { from: 'm.garcia@acme.example', name: 'Mark Garcia', subject: 'Handheld scanners will not pair after the update', body: 'Hello,\n\nnone of the six handheld scanners on the loading dock pair with their cradles since the update last night. Picking is stuck.\n\nMark Garcia, dock supervisor' },
    priority: 'high', target: 'firstResponse', dueInMinutes: 25,
  },
  {
    mail: { from: 'n.popova@acme.example', name: 'Nina Popova', subject: 'Shipping terminal at dock 3 down, trucks waiting', body: 'The shipping terminal at dock 3 does not start (blue screen). Four trucks are waiting for their papers.\n\nNina' },
    priority: 'urgent', target: 'resolution', dueInMinutes: 40, agent: 'sarah@desk.example',
    answer: { afterMinutes: 10, body: 'Nina, I am on it: connecting to the terminal remotely now. Meanwhile the papers can be printed from the office PC next to dock 2.' },
  },
];

/** Opens the scene's ticket at the moment that leaves its target `dueInMinutes` away now; undefined when it was seeded before. */
export async function playSlaScene(cast: Cast, scene: SlaScene, id: string): Promise<number | undefined> {
  const { ctx } = cast.services;
  const organizationId = (await findOrganizationIdByDomain(ctx.db, scene.mail.from.split('@')[1])) ?? null;
  const cfg = await loadSlaConfig(ctx.db, ctx.calendars, { organizationId, priority: scene.priority });
  const minutes = cfg?.minutes[scene.target];
  if (!cfg || !minutes) return undefined;
  const openedAt = subtractBusinessTime(cfg.calendar, cast.now, (minutes - scene.dueInMinutes) * MINUTE);
  const manager = actor(cast, 'olga@desk.example');
  const ticketId = await playAt(cast, openedAt, async () => {
    const r = await receiveMail(cast, { ...scene.mail, id, date: openedAt });
    if (r.outcome !== 'created' || !r.ticketId) return undefined;
    await updateTicketFields(ctx, manager, { ticketId: r.ticketId, priority: scene.priority });
    return r.ticketId;
  });
  if (!ticketId || !scene.agent) return ticketId;
  const agent = actor(cast, scene.agent);
  await playAt(cast, openedAt + 5 * MINUTE, () => assignTicket(ctx, manager, { ticketId, assigneeId: agent.user.id }));
  if (scene.answer) {
    await playAt(cast, openedAt + scene.answer.afterMinutes * MINUTE, async () => {
      await replyToTicket(ctx, agent, { ticketId, body: scene.answer!.body });
      await changeStatus(ctx, agent, { ticketId, status: 'in_progress' });
    });
  }
  return ticketId;
}
