import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide, fixture } from '../../../test/helpers/intake.ts';
import { makeMail } from '../../../test/helpers/mail.ts';
import { insertComponent } from '../../store/components.ts';
import { insertMailbox } from '../../store/mailboxes.ts';
import { dropOwnLoop } from './drop-own-loop.ts';

describe('drop-own-loop', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps({ PUBLIC_URL: 'https://desk.example.test' });
    await insertMailbox(deps.db, { name: 'Support', address: 'support@desk.example', host: 'imap.desk.example', username: 'support', password: 'x' }, 0);
  });
  afterEach(() => deps.close());
  const steps = [dropOwnLoop];

  it('drops mail carrying our loop header', async () => {
    const d = await decide(deps, makeMail({ from: 'relay@elsewhere.example', headers: { 'X-Helpdesk-Loop': 'desk.example.test' } }), { steps });
    expect(d.drop).toEqual({ outcome: 'ignored', reason: 'our own mail came back (x-helpdesk-loop: desk.example.test)' });
  });

  it("keeps another desk's loop header (that desk's automatic mail is an auto-reply, not ours)", async () => {
    const d = await decide(deps, makeMail({ from: 'bot@other.example', headers: { 'X-Helpdesk-Loop': 'help.other.example' } }), { steps });
    expect(d.drop).toBeNull();
  });

  it('drops our own signed Message-ID, and any Message-ID at our public host', async () => {
    expect((await decide(deps, makeMail({ from: 'x@elsewhere.example', messageId: 'hd.t1.abcdefgh.yd6d7kfdrcme@desk.example' }), { steps })).drop?.reason).toMatch(/our own Message-ID/);
    expect((await decide(deps, fixture('own-host-message-id.eml'), { steps })).drop?.reason).toMatch(/our own Message-ID came back \(1234@desk\.example\.test\)/);
    expect((await decide(deps, makeMail({ messageId: '1234@not-matching.desk.example.test' }), { steps })).drop).toBeNull();
  });

  it('drops mail sent from one of our own addresses, plus-addressed or not', async () => {
    expect((await decide(deps, fixture('own-loop.eml'), { steps })).drop).not.toBeNull();
    expect((await decide(deps, makeMail({ from: 'Desk <Support+t5.abc@desk.example>' }), { steps })).drop?.reason).toMatch(/sent from the desk's own address/);
  });

  it("drops mail sent from an active component's alias, the same addresses outbound never mails", async () => {
    await insertComponent(deps.db, { name: 'Printers', emailAliases: ['Printers@Desk.example'] }, 0);
    await insertComponent(deps.db, { name: 'Old', emailAliases: ['retired@desk.example'], active: false }, 0);
    const d = await decide(deps, makeMail({ from: 'Printers <printers+t7.abc@desk.example>' }), { steps });
    expect(d.drop).toEqual({ outcome: 'ignored', reason: "sent from the desk's own address printers+t7.abc@desk.example" });
    expect((await decide(deps, makeMail({ from: 'retired@desk.example' }), { steps })).drop).toBeNull();
  });

  it("drops a Message-ID shaped like ours at the domain of any of the desk's addresses, and no other", async () => {
    await insertComponent(deps.db, { name: 'Printers', emailAliases: ['printers@print.example'] }, 0);
    expect((await decide(deps, makeMail({ messageId: 'hd.t3.abcdefgh.aaaaaaaaaaaa@print.example' }), { steps })).drop?.reason).toBe('our own Message-ID came back (hd.t3.abcdefgh.aaaaaaaaaaaa@print.example)');
    expect((await decide(deps, makeMail({ messageId: 'hd.t3.abcdefgh.aaaaaaaaaaaa@elsewhere.example' }), { steps })).drop).toBeNull();
  });

  it('lets ordinary mail through', async () => {
    expect((await decide(deps, fixture('new-ticket-plain.eml'), { steps })).drop).toBeNull();
  });
});

it("drops a help desk's own notification coming back (chatwoot's, with its sender configured as ours)", async () => {
  const deps = await makeTestDeps({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'Chatwoot <accounts@chatwoot.com>' });
  try {
    const d = await decide(deps, fixture('chatwoot-own-notification.eml'), { steps: [dropOwnLoop] });
    expect(d.drop?.reason).toBe("sent from the desk's own address accounts@chatwoot.com");
  } finally {
    deps.close();
  }
});
