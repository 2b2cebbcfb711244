// The webhook payloads Chatwoot's tests use (fixtures/sms/chatwoot-twilio-inbound.json), parsed
// and run through intake: SmsSid-only senders, empty bodies, MMS, locations, profile names.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServices, type Services } from '../../services.ts';
import { sha256Hex } from '../../store/file-store.ts';
import { listTicketMessages } from '../../store/messages.ts';
import { findTicket } from '../../store/tickets.ts';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { parseSms } from './parse-sms.ts';

type Case = { id: string; params: Record<string, string>; expect: Record<string, unknown> };
const { cases } = JSON.parse(readFileSync(new URL('../../../fixtures/sms/chatwoot-twilio-inbound.json', import.meta.url), 'utf8')) as { cases: Case[] };
const byId = (id: string) => cases.find((c) => c.id === id)!;
const raw = (params: Record<string, string>) => Buffer.from(JSON.stringify(params));

let deps: TestDeps;
let services: Services;
beforeEach(async () => {
  deps = await makeTestDeps({ TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' });
  services = buildServices(deps);
});
afterEach(() => deps.close());

const parse = (params: Record<string, string>) =>
  parseSms({ channel: 'sms', source: 'twilio', mailboxId: null, raw: raw(params), receivedAt: 1, rawSha256: sha256Hex(raw(params)) }, deps);
const receive = (params: Record<string, string>) => services.intake.receive({ channel: 'sms', source: 'twilio', mailboxId: null, raw: raw(params) });

describe('parseSms on Chatwoot’s cases', () => {
  it('reads the old SmsSid, the sender and the text', async () => {
    const m = await parse(byId('sms-existing-thread').params);
    expect(m).toMatchObject({ channel: 'sms', externalId: 'SMxx', from: { address: '+12345', name: '' }, text: 'testing3', subject: '', attachments: [], problems: [] });
    expect(m.headers['x-twilio-messaging-service-sid']).toEqual(['<channel messaging_service_sid>']);
  });

  it('accepts an empty body', async () => {
    expect((await parse(byId('sms-empty-body').params)).text).toBe('');
  });

  it('refuses to fetch media from anywhere but the Twilio API, keeping the text', async () => {
    const m = await parse(byId('mms-one-image').params);
    expect(m.text).toBe('testing3');
    expect(m.attachments).toEqual([]);
    expect(m.problems).toEqual(['media 1 (image/jpeg): refused: chatwoot-assets.local is not the Twilio API of this account']);
  });

  it('keeps a shared location as text', async () => {
    expect((await parse(byId('location').params)).text).toBe('📍 12.160894393921, 75.265205383301');
  });

  it('takes the profile name when there is one', async () => {
    expect((await parse(byId('whatsapp-profile-name').params)).from).toEqual({ address: '+1234567890', name: 'John Doe' });
    expect((await parse(byId('whatsapp-blank-profile-name').params)).from).toEqual({ address: '+1234567890', name: '' });
  });

  it('refuses what is not an answerable text message', async () => {
    await expect(parse({ Body: 'x', From: '+12345' })).rejects.toThrow(/no MessageSid/);
    await expect(parse({ MessageSid: 'SM1', Body: 'x', From: 'whatsapp:+14155550123' })).rejects.toThrow(/another channel/);
    await expect(parse({ MessageSid: 'SM1', Body: 'x', From: 'MyBank' })).rejects.toThrow(/not a phone number/);
    await expect(parseSms({ channel: 'sms', source: 'twilio', mailboxId: null, raw: Buffer.from('[1]'), receivedAt: 1, rawSha256: '0' }, deps)).rejects.toThrow(/not the JSON form fields/);
  });
});

describe('Chatwoot’s expectations through our intake', () => {
  it('appends to the open conversation of a known number, and opens one for a new number', async () => {
    const first = await receive({ ...byId('sms-existing-thread').params, SmsSid: 'SM0' });
    expect(first.outcome).toBe('created');
    const again = await receive(byId('sms-existing-thread').params);
    expect(again).toMatchObject({ outcome: 'appended', ticketId: first.ticketId });
    expect((await listTicketMessages(deps.db, first.ticketId!)).at(-1)?.bodyText).toBe('testing3');
    // Chatwoot's cases all use the placeholder SmsSid "SMxx": the same id is the same message
    expect((await receive(byId('sms-new-number').params)).outcome).toBe('duplicate');
    const other = await receive({ ...byId('sms-new-number').params, SmsSid: 'SM2' });
    expect(other.outcome).toBe('created');
    expect(other.ticketId).not.toBe(first.ticketId);
  });

  it('reopens a resolved conversation only when the text names it', async () => {
    const first = await receive({ ...byId('sms-by-phone-number-existing-thread').params, SmsSid: 'SM0' });
    await deps.db.run("update tickets set status = 'resolved'");
    const r = await receive({ ...byId('sms-resolved-lock-to-single-conversation').params, Body: `testing3 #${(await findTicket(deps.db, first.ticketId!))!.number}` });
    expect(r).toMatchObject({ outcome: 'appended', ticketId: first.ticketId });
    expect((await findTicket(deps.db, first.ticketId!))?.status).toBe('reopened');
  });

  it('does not fail on an empty body', async () => {
    const r = await receive({ ...byId('sms-empty-body').params, From: '+15550001111' });
    expect(r.outcome).toBe('created');
    expect((await findTicket(deps.db, r.ticketId!))?.subject).toBe('(no subject)');
  });
});
