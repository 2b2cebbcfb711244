// The admin's getting-started checklist over HTTP: on an empty desk it heads the queue page for
// admins only, each step ticks itself as the desk gets set up, it can be hidden, and once every
// required step is done it stops being asked for.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { component, ticket } from '../../helpers/factories.ts';
import { seedSla } from '../../helpers/workflow.ts';
import { insertMailbox } from '../../../src/store/mailboxes.ts';
import { replyToTicket } from '../../../src/actions/tickets.ts';

describe('getting started', () => {
  let deps: TestDeps;
  let srv: TestServer;
  afterEach(async () => {
    await srv?.close();
    deps?.close();
  });

  const ticks = (html: string) => Object.fromEntries([...html.matchAll(/<li class="(done)?" data-step="(\w+)">/g)].map((m) => [m[2], m[1] === 'done']));

  it('ticks each step as the desk is set up, for admins only, until every required step is done', async () => {
    deps = await makeTestDeps({ SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'support@desk.example' });
    srv = await startTestServer(deps);
    const s = srv.services;
    const admin = await addUser(s, 'admin', 'ada@desk.example', 'Ada');
    const browser = new Browser(srv.url);
    await browser.login('ada@desk.example', TEST_PASSWORD);

    let queue = (await browser.get('/tickets')).text;
    expect(queue).toContain('Getting started');
    expect(queue).toContain('href="/admin/getting-started"');
    // outgoing mail is set (SMTP_URL); nothing else yet
    expect(ticks(queue)).toEqual({ mailbox: false, outgoingMail: true, sms: false, agents: false, components: false, workflow: false, firstReply: false });
    expect(queue).toContain('1 of 7 done');

    await insertMailbox(deps.db, { name: 'Support', address: 'support@desk.example', host: 'imap.desk.example', username: 'support', password: 'secret' }, deps.clock.now());
    const agent = await addUser(s, 'agent', 'boris@desk.example', 'Boris');
    // a component without a manager is not set up yet
    const printers = await component(s, 'Printers', [agent]);
    expect(ticks((await browser.get('/tickets')).text)).toMatchObject({ mailbox: true, agents: true, components: false });
    await s.ctx.db.run('update components set manager_id = ? where id = ?', admin.id, printers.id);
    await seedSla(s.ctx, { makeDefault: true });
    expect(ticks((await browser.get('/tickets')).text)).toEqual({ mailbox: true, outgoingMail: true, sms: false, agents: true, components: true, workflow: true, firstReply: false });

    // agents never see it
    const boris = new Browser(srv.url);
    await boris.login('boris@desk.example', TEST_PASSWORD);
    const theirs = (await boris.get('/tickets')).text;
    expect(theirs).not.toContain('data-step=');
    expect(theirs).not.toContain('href="/admin/getting-started"');
    expect((await boris.get('/admin/getting-started')).status).toBe(403);

    // the last required step: a reply to a requester (SMS is optional)
    const t = await ticket(s, null);
    await replyToTicket(s.ctx, { kind: 'user', user: agent }, { ticketId: t.id, body: 'We are on it.' });
    queue = (await browser.get('/tickets')).text;
    expect(queue).not.toContain('data-step=');
    // its page still shows where everything stands
    const page = (await browser.get('/admin/getting-started')).text;
    expect(ticks(page)).toMatchObject({ firstReply: true, sms: false });
    expect(page).toContain('6 of 7 done');
  });

  it('can be hidden from the queue page and shown again; in Russian for a Russian admin', async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps);
    const s = srv.services;
    const ada = await addUser(s, 'admin', 'ada@desk.example', 'Ada');
    await s.ctx.db.run("update users set locale = 'ru' where id = ?", ada.id);
    const browser = new Browser(srv.url);
    await browser.login('ada@desk.example', TEST_PASSWORD);
    const queue = (await browser.get('/tickets')).text;
    expect(queue).toContain('С чего начать');
    expect(queue).toContain('Готово 0 из 7');
    const hide = await browser.post('/admin/getting-started/hide', {});
    expect(hide).toMatchObject({ status: 303, location: '/tickets' });
    const after = (await browser.get('/tickets')).text;
    expect(after).not.toContain('data-step="mailbox"');
    expect(after).toContain('Список скрыт');
    const page = (await browser.get('/admin/getting-started')).text;
    expect(page).toContain('data-step="mailbox"');
    expect(page).toContain('action="/admin/getting-started/show"');
    await browser.post('/admin/getting-started/show', {});
    expect((await browser.get('/tickets')).text).toContain('data-step="mailbox"');
  });
});
