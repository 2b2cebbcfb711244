// Intake test helpers: fixtures parsed as the parser sees them, the pipeline's decisions for a
// mail (read-only), and a desk with ticket #1 from anna@client.example that already got our reply.
import { readFileSync } from 'node:fs';
import { parseEmail } from '../../src/channels/email/parse-email.ts';
import type { Deps } from '../../src/deps.ts';
import { runPipeline } from '../../src/intake/pipeline.ts';
import type { Draft, InboundMessage, Step } from '../../src/intake/types.ts';
import { buildServices } from '../../src/services.ts';
import { sha256Hex } from '../../src/store/file-store.ts';
import { insertMessage } from '../../src/store/messages.ts';

/** Our signed Message-ID for ticket id 1 (test key), as the fixtures carry it. */
export const OUR_MESSAGE_ID = 'hd.t1.abcdefgh.yd6d7kfdrcme@desk.example';

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/email/${name}`, import.meta.url));
}

export function parse(deps: Deps, raw: Buffer | string, opts: { envelopeTo?: string[]; mailboxId?: number | null } = {}): Promise<InboundMessage> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
  return parseEmail(
    { channel: 'email', source: 'pipe', mailboxId: opts.mailboxId ?? null, raw: bytes, receivedAt: deps.clock.now(), rawSha256: sha256Hex(bytes), envelopeTo: opts.envelopeTo },
    deps,
  );
}

/** What the steps decide for a mail, without writing anything. */
export async function decide(deps: Deps, raw: Buffer | string, opts: { steps?: readonly Step[]; envelopeTo?: string[]; mailboxId?: number | null } = {}): Promise<Draft> {
  return await runPipeline(await parse(deps, raw, opts), deps, { steps: opts.steps });
}

/** Ticket #1 (id 1) from Anna, with our reply carrying OUR_MESSAGE_ID stored as outbound does. */
export async function seedTicketOne(deps: Deps): Promise<number> {
  const { intake } = buildServices(deps);
  const r = await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: fixture('new-ticket-plain.eml') });
  await insertMessage(deps.db, {
    ticketId: r.ticketId!, kind: 'reply', direction: 'out', channel: 'email', fromAddress: 'support@desk.example',
    toAddresses: ['anna@client.example'], subject: 'Re: Printer on 3rd floor is jammed [#1]', bodyText: 'We replaced the fuser unit.',
    headerMessageId: OUR_MESSAGE_ID, deliveryStatus: 'sent', createdAt: deps.clock.now(),
  });
  return r.ticketId!;
}
