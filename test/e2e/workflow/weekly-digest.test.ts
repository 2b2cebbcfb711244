// The managers' weekly digest: on Monday from 08:00 of the desk, one mail per manager and admin
// (not agents, not someone who turned it off) with last week's figures, each queued exactly once
// however often the scheduler runs, in the person's language.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { buildServices } from '../../../src/services.ts';
import { createUser } from '../../../src/actions/users.ts';
import { updateNotificationPrefs } from '../../../src/actions/notification-prefs.ts';
import { createTicket, writeStatus } from '../../../src/actions/tickets.ts';
import { schedulerTick } from '../../../src/roles/scheduler.ts';
import { outbox } from '../../../src/db/schema.ts';
import { insertComponent } from '../../../src/store/components.ts';
import { insertOrganization } from '../../../src/store/organizations.ts';
import { getTicket } from '../../../src/store/tickets.ts';
import { createEmailRenderer } from '../../../src/outbox/render-email.ts';
import type { EmailPayload } from '../../../src/outbox/types.ts';

const Z = (iso: string) => Date.parse(iso);

describe('the weekly digest', () => {
  let deps: TestDeps;
  afterEach(() => deps?.close());

  it('goes out once on Monday morning to each manager and admin who wants it, with last week’s figures', async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow', PUBLIC_URL: 'https://help.example' });
    const s = buildServices(deps);
    const pw = 'long enough password';
    const agent = await createUser(s.ctx, { email: 'agent@desk.test', name: 'Alex', role: 'agent', password: pw });
    const olgaUser = await createUser(s.ctx, { email: 'olga@desk.test', name: 'Ольга', role: 'manager', password: pw, locale: 'ru' });
    await createUser(s.ctx, { email: 'ada@desk.test', name: 'Ada', role: 'admin', password: pw });
    const quiet = await createUser(s.ctx, { email: 'quiet@desk.test', name: 'Quiet', role: 'manager', password: pw });
    await updateNotificationPrefs(s.ctx, { kind: 'user', user: quiet }, { weekly_digest: '' });
    // Olga manages printers: her digest also has their figures and the clients busiest there
    const printers = await insertComponent(deps.db, { name: 'Printers', managerId: olgaUser.id }, deps.clock.now());
    await insertOrganization(deps.db, { name: 'Client Ltd' }, deps.clock.now(), ['client.example']);
    const by = { kind: 'user', user: agent } as const;
    // last week (Monday 23 to Sunday 29 November, Moscow): three tickets, one resolved; one the week before
    const open = async (when: string, componentId?: number) => {
      deps.clock.set(Z(when));
      return await createTicket(s.ctx, by, { subject: 'Help', body: 'x', requesterEmail: 'anna@client.example', componentId });
    };
    await open('2026-11-20T10:00:00Z');
    const a = await open('2026-11-23T06:00:00Z', printers.id);
    await open('2026-11-26T10:00:00Z', printers.id);
    await open('2026-11-29T20:30:00Z'); // 23:30 on Sunday in Moscow
    deps.clock.set(Z('2026-11-27T10:00:00Z'));
    await writeStatus(s.ctx, by, await getTicket(deps.db, a.id), 'resolved');
    const digests = async () => (await deps.db.select().from(outbox).all()).filter((r) => r.event === 'weekly_digest');

    deps.clock.set(Z('2026-11-30T04:59:00Z')); // Monday 07:59 in Moscow
    expect((await schedulerTick(s.ctx)).digests).toBe(0);
    deps.clock.set(Z('2026-11-30T05:00:00Z'));
    expect((await schedulerTick(s.ctx)).digests).toBe(2);
    expect((await schedulerTick(s.ctx)).digests).toBe(0);
    deps.clock.set(Z('2026-12-03T12:00:00Z')); // later that week: still sent once
    expect((await schedulerTick(s.ctx)).digests).toBe(0);
    const rows = await digests();
    expect(rows.map((r) => r.recipient).sort()).toEqual(['ada@desk.test', 'olga@desk.test']);
    const digest = (rows[0].payload as unknown as EmailPayload).vars.digest;
    expect(digest).toMatchObject({ from: '2026-11-23', to: '2026-11-29', created: 3, resolved: 1, open: 3, components: [{ name: 'Printers', created: 2 }], losing: [] });

    // in Olga's language
    const olga = rows.find((r) => r.recipient === 'olga@desk.test')!;
    const p = olga.payload as unknown as EmailPayload;
    expect(p.locale).toBe('ru');
    const mail = createEmailRenderer({ cache: false, defaultLocale: 'en', timeZone: 'Europe/Moscow' }).render(p.template, p.locale, { desk: { name: 'ИТ' }, recipient: { name: 'Ольга' }, ...p.vars });
    expect(mail.subject).toBe('ИТ: неделя 2026-11-23 – 2026-11-29');
    expect(mail.text).toContain('Поступило: 3');
    expect(mail.text).toContain('https://help.example/reports/created-resolved?from=2026-11-23&to=2026-11-29&group=day');
    const mine = (p.vars.digest as { mine?: unknown }).mine;
    expect(mine).toEqual([{ name: 'Printers', created: 2, resolved: 1, open: 1, overdue: expect.any(Number), href: `https://help.example/tickets?view=open&component=${printers.id}` }]);
    expect((p.vars.digest as { clients?: unknown }).clients).toEqual([{ name: 'Client Ltd', created: 2 }]);
    expect(mail.text).toMatch(/Ваши компоненты \(поступило, [^)]*\):\n- Printers: 2, 1, 1, \d+ \(https:\/\/help\.example\/tickets\?view=open&component=\d+\)/);
    expect(mail.text).toContain('Ваши самые активные клиенты за неделю: Client Ltd (2)');
    expect(mail.html).toContain(`<a href="https://help.example/tickets?view&#x3D;open&amp;component&#x3D;${printers.id}">Printers</a>`);
    // Ada (an admin of no component) gets the desk's figures alone
    const ada = (rows.find((r) => r.recipient === 'ada@desk.test')!.payload as unknown as EmailPayload).vars.digest as { mine?: unknown };
    expect(ada.mine).toBeUndefined();

    // next Monday: the next week's (a ticket came in on Thursday)
    await open('2026-12-03T12:00:00Z');
    deps.clock.set(Z('2026-12-07T06:00:00Z'));
    expect((await schedulerTick(s.ctx)).digests).toBe(2);
    // a week in which nothing came in and nothing was done has no digest
    deps.clock.set(Z('2026-12-14T06:00:00Z'));
    expect((await schedulerTick(s.ctx)).digests).toBe(0);
  });
});
