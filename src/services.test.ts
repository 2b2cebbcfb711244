// Two desks built in one process (the tests start several) share no cache: each one's services
// keep what they read and compile for themselves. The channels the desk is built with are wired
// from their registration alone.
import { Router } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../test/helpers/deps.ts';
import { startTestServer, type TestServer } from '../test/helpers/web.ts';
import type { Channel } from './channels/channel.ts';
import { emailChannel } from './channels/email/index.ts';
import { CHANNELS_ENABLED } from './channels/index.ts';
import type { ReceiveResult } from './intake/receive.ts';
import { buildServices } from './services.ts';
import { loadCompiledCalendar } from './store/sla-config.ts';
import { getTicket } from './store/tickets.ts';

let deps: TestDeps[];
beforeEach(async () => {
  deps = [await makeTestDeps(), await makeTestDeps()];
});
afterEach(() => deps.forEach((d) => d.close()));

it('gives each desk its own locale strings', () => {
  const [a, b] = deps.map((d) => buildServices(d));
  expect(a.ctx.locales).not.toBe(b.ctx.locales);
  expect(a.ctx.locales.tree('en')).not.toBe(b.ctx.locales.tree('en'));
  expect(a.ctx.locales.tree('en')).toEqual(b.ctx.locales.tree('en'));
  expect(a.ctx.locales.tree('en')).toBe(a.ctx.locales.tree('en'));
});

it('gives each desk its own compiled calendars, even two desks on one database', async () => {
  const [a, b] = [buildServices(deps[0]), buildServices(deps[0])];
  const cal = await loadCompiledCalendar(deps[0].db, a.ctx.calendars, null);
  expect(await loadCompiledCalendar(deps[0].db, a.ctx.calendars, null)).toBe(cal); // kept by the desk that compiled it
  const other = await loadCompiledCalendar(deps[0].db, b.ctx.calendars, null);
  expect(other).not.toBe(cal);
  expect(other).toEqual(cal);
});

describe('channels', () => {
  // a third channel, registered only in this test's desk: a pager gateway that posts call notes
  const applied: number[] = [];
  const pagerChannel: Channel = {
    id: 'pager',
    forDesk: () => ({
      parsers: {
        phone: async (input) => {
          const page = JSON.parse(input.raw.toString('utf8')) as { id: string; from: string; text: string };
          return {
            channel: 'phone', source: input.source, mailboxId: null, receivedAt: input.receivedAt, raw: input.raw, rawSha256: input.rawSha256,
            externalId: page.id, externalIdSynthesized: false, from: { address: page.from, name: '' }, to: [], cc: [], replyTo: [], deliveredTo: [],
            subject: page.text.slice(0, 40), text: page.text, html: null, date: null, inReplyTo: [], references: [], headers: {}, attachments: [], problems: [],
          };
        },
      },
      registerHooks(hooks) {
        hooks.inboundApplied.push((_tx, a) => void (a.ticket && applied.push(a.ticket.id)));
      },
      webhooks: (_ctx, intake) => [
        {
          auth: 'webhook',
          build: () =>
            Router().post('/webhooks/pager', (req, res, next) => {
              intake.receive({ channel: 'phone', source: 'api', mailboxId: null, raw: Buffer.from(JSON.stringify(req.body)) }).then((r) => res.json(r), next);
            }),
        },
      ],
    }),
  };
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    applied.length = 0;
  });

  it('wires a channel registered through the build options: its webhooks, parser and hooks', async () => {
    const services = buildServices(deps[0], { channels: [...CHANNELS_ENABLED, pagerChannel] });
    server = await startTestServer(deps[0], services);
    const res = await fetch(`${server.url}/webhooks/pager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'page-1', from: 'caller@example.com', text: 'Printer on floor 3 is jammed' }),
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as ReceiveResult;
    expect(result).toMatchObject({ outcome: 'created' });
    expect(await getTicket(deps[0].db, result.ticketId!)).toMatchObject({ channel: 'phone', subject: 'Printer on floor 3 is jammed' });
    expect(applied).toEqual([result.ticketId]);
    const sms = await fetch(`${server.url}/webhooks/twilio/sms`, { method: 'POST', body: new URLSearchParams({ MessageSid: 'SM2' }) });
    expect([sms.status, await sms.text()]).toEqual([404, 'SMS (Twilio) is not configured on this desk.']);
    // the registered channels stay wired beside it
    expect(services.senders.map((s) => s.channel)).toEqual(['email', 'sms']);
    expect(services.channels.map((c) => c.channel.id)).toEqual(['email', 'sms', 'pager']);
  });

  it('leaves out what a channel that is not registered would add', async () => {
    const services = buildServices(deps[0], { channels: [emailChannel] });
    expect(services.senders.map((s) => s.channel)).toEqual(['email']);
    expect(services.web.nav?.some((l) => l.href === '/sms/new')).toBe(false);
    expect(services.web.nav?.some((l) => l.href === '/admin/mailboxes')).toBe(true);
    const sms = await services.intake.receive({ channel: 'sms', source: 'twilio', mailboxId: null, raw: Buffer.from('{"MessageSid":"SM1","From":"+15005550006","Body":"hi"}') });
    expect(sms).toMatchObject({ outcome: 'quarantined', error: 'no parser for channel sms' });
    server = await startTestServer(deps[0], services);
    const hook = await fetch(`${server.url}/webhooks/twilio/sms`, { method: 'POST', body: new URLSearchParams({ MessageSid: 'SM2' }) });
    // no SMS webhook answers (with the SMS channel it would be 404 "SMS (Twilio) is not configured"):
    // the request goes on to the console's sign-in check
    expect(hook.status).toBe(401);
    expect(await hook.text()).not.toMatch(/Twilio/);
  });

  it('refuses a channel registered twice, and two channels that parse the same messages', () => {
    expect(() => buildServices(deps[0], { channels: [emailChannel, emailChannel] })).toThrow('channel email is registered twice');
    expect(() => buildServices(deps[0], { channels: [pagerChannel, { ...pagerChannel, id: 'pager-2' }] })).toThrow('two channels parse phone messages (the second is pager-2)');
  });
});
