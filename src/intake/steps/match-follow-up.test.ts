import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide, fixture, OUR_MESSAGE_ID, seedTicketOne } from '../../../test/helpers/intake.ts';
import { makeMail } from '../../../test/helpers/mail.ts';
import { addUser } from '../../../test/helpers/web.ts';
import { buildServices } from '../../services.ts';
import { insertParticipants, updateTicket } from '../../store/tickets.ts';
import { decideSenderTrust } from './decide-sender-trust.ts';
import { detectBounce } from './detect-bounce.ts';
import { matchFollowUp } from './match-follow-up.ts';

describe('match-follow-up', () => {
  let deps: TestDeps;
  let ticketId: number;
  beforeEach(async () => {
    deps = await makeTestDeps();
    ticketId = await seedTicketOne(deps);
  });
  afterEach(() => deps.close());
  const steps = [detectBounce, matchFollowUp];
  const matchOf = async (raw: Buffer | string, opts: { envelopeTo?: string[] } = {}) => (await decide(deps, raw, { steps, ...opts })).match;

  it('matches our signed Message-ID in In-Reply-To first', async () => {
    expect(await matchOf(fixture('gmail-reply.eml'))).toEqual({ ticketId, via: 'signed-message-id' });
  });

  it('matches a stored Message-ID in References, newest first, and a plain In-Reply-To', async () => {
    expect(await matchOf(makeMail({ from: 'x@other.example', subject: 'no tag', references: ['unknown@x', 'printer-1@client.example', 'unknown2@x'] })))
      .toEqual({ ticketId, via: 'message-id' });
    expect(await matchOf(makeMail({ from: 'x@other.example', subject: 'no tag', inReplyTo: 'printer-1@client.example' }))).toEqual({ ticketId, via: 'message-id' });
  });

  it('refuses a forged signature', async () => {
    expect(await matchOf(makeMail({ from: 'x@other.example', subject: 'x', inReplyTo: 'hd.t1.abcdefgh.aaaaaaaaaaaa@desk.example' }))).toBeNull();
  });

  it('matches the plus-address reply token in To or in the envelope', async () => {
    expect(await matchOf(fixture('reply-token.eml'))).toEqual({ ticketId, via: 'reply-token' });
    expect(await matchOf(makeMail({ to: 'support@desk.example', subject: 'x' }), { envelopeTo: ['support+t1.ut3othu66t2e@desk.example'] }))
      .toEqual({ ticketId, via: 'reply-token' });
    expect(await matchOf(makeMail({ to: 'support+t1.zzzzzzzzzzzz@desk.example', subject: 'x' }))).toBeNull();
  });

  it('trusts the [#N] subject tag only from the requester, a participant or an agent', async () => {
    expect(await matchOf(fixture('reply-subject-tag.eml'))).toEqual({ ticketId, via: 'subject-tag' });
    const stranger = await decide(deps, fixture('stranger-quotes-tag.eml'), { steps });
    expect(stranger.match).toBeNull();
    expect(stranger.notes).toContain('subject tag [#1] ignored: sender is not a party to that ticket');
    await insertParticipants(deps.db, ticketId, ['mallory@stranger.example']);
    expect(await matchOf(fixture('stranger-quotes-tag.eml'))).toEqual({ ticketId, via: 'subject-tag' });
    await addUser(buildServices(deps), 'agent', 'agent@desk.example');
    expect(await matchOf(makeMail({ from: 'agent@desk.example', subject: 'Re: [#1]' }))).toEqual({ ticketId, via: 'subject-tag' });
  });

  it('threads an agent address the desk could not verify by signed references only', async () => {
    await addUser(buildServices(deps), 'agent', 'agent@desk.example');
    const stepsWithTrust = [detectBounce, decideSenderTrust, matchFollowUp];
    const byStoredId = await decide(deps, makeMail({ from: 'agent@desk.example', subject: 'Re: [#1]', inReplyTo: 'printer-1@client.example' }), { steps: stepsWithTrust });
    expect(byStoredId.match).toBeNull();
    expect(byStoredId.notes).toEqual(expect.arrayContaining([
      'known Message-ID printer-1@client.example ignored: the sender is not verified',
      'subject tag [#1] ignored: the sender is not verified',
    ]));
    const bySigned = await decide(deps, makeMail({ from: 'agent@desk.example', subject: 'Re: x', inReplyTo: OUR_MESSAGE_ID }), { steps: stepsWithTrust });
    expect(bySigned.match).toEqual({ ticketId, via: 'signed-message-id' });
    const byToken = await decide(deps, makeMail({ from: 'agent@desk.example', to: 'support+t1.ut3othu66t2e@desk.example', subject: 'x' }), { steps: stepsWithTrust });
    expect(byToken.match).toEqual({ ticketId, via: 'reply-token' });
  });

  it('links a bounce to its ticket through the returned original', async () => {
    expect(await matchOf(fixture('bounce-5.1.1.eml'))).toEqual({ ticketId, via: 'signed-message-id' });
  });

  it('follows a merged ticket to the one it was merged into', async () => {
    const other = await buildServices(deps).intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: Buffer.from(makeMail({ subject: 'Second' })) });
    await updateTicket(deps.db, ticketId, { mergedIntoId: other.ticketId }, 0);
    expect(await matchOf(makeMail({ from: 'x@other.example', inReplyTo: OUR_MESSAGE_ID }))).toEqual({ ticketId: other.ticketId, via: 'signed-message-id' });
  });
});
