import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide } from '../../../test/helpers/intake.ts';
import { makeMail } from '../../../test/helpers/mail.ts';
import { insertComponent } from '../../store/components.ts';
import { insertMailbox } from '../../store/mailboxes.ts';
import { route } from './route.ts';
import { stripQuotedReply } from './strip-quoted-reply.ts';

describe('route', () => {
  let deps: TestDeps;
  let printers: number;
  let network: number;
  let hr: number;
  beforeEach(async () => {
    deps = await makeTestDeps();
    printers = (await insertComponent(deps.db, { name: 'Printers', emailAliases: ['printers@desk.example'], keywords: ['printer', 'принтер'] }, 0)).id;
    network = (await insertComponent(deps.db, { name: 'Network', keywords: ['vpn', 'wi-fi'] }, 0)).id;
    hr = (await insertComponent(deps.db, { name: 'HR' }, 0)).id;
  });
  afterEach(() => deps.close());
  const steps = [stripQuotedReply, route];

  it('routes by an address alias first', async () => {
    const d = await decide(deps, makeMail({ to: 'printers@desk.example', subject: 'VPN' }), { steps });
    expect(d.route).toEqual({ componentId: printers, reason: 'address alias printers@desk.example' });
  });

  it("routes by the mailbox's component before keywords", async () => {
    const mb = await insertMailbox(deps.db, { name: 'HR', address: 'hr@desk.example', host: 'h', username: 'u', password: 'p', componentId: hr }, 0);
    const d = await decide(deps, makeMail({ to: 'hr@desk.example', subject: 'printer' }), { steps, mailboxId: mb.id });
    expect(d.route).toEqual({ componentId: hr, reason: 'mailbox hr@desk.example' });
  });

  it('routes by keywords in the subject or the new text (whole words, any language)', async () => {
    expect((await decide(deps, makeMail({ subject: 'VPN is down' }), { steps })).route).toEqual({ componentId: network, reason: 'keyword "vpn"' });
    expect((await decide(deps, makeMail({ subject: 'Помогите', body: 'Не работает принтер.' }), { steps })).route.componentId).toBe(printers);
    expect((await decide(deps, makeMail({ subject: 'Password', body: 'printers-like wording: reprinter' }), { steps })).route.componentId).toBeNull();
    // words only in the quoted history do not count
    const quoted = makeMail({ subject: 'Thanks', body: 'Thanks!\r\n\r\nOn Mon, 2 Nov 2026 at 09:00, Desk <support@desk.example> wrote:\r\n> your VPN account is ready' });
    expect((await decide(deps, quoted, { steps })).route.componentId).toBeNull();
  });
});
