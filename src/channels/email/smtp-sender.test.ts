// Outgoing mail over smtp:// must switch to TLS (STARTTLS) unless SMTP_ALLOW_PLAINTEXT=true: an
// attacker on the path could otherwise strip STARTTLS from the server's answer and read everything.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { startSmtpServer, type TestSmtp } from '../../../test/helpers/smtp.ts';
import { createTicket } from '../../actions/tickets.ts';
import { buildServices } from '../../services.ts';
import { listOutbox } from '../../store/outbox.ts';
import { getChannelHealth } from '../../outbox/settings.ts';
import { createOutboxWorker } from '../../outbox/worker.ts';

describe('email sender on a server without STARTTLS', () => {
  let smtp: TestSmtp;
  let deps: TestDeps;
  beforeEach(async () => {
    smtp = await startSmtpServer(); // plain text only, as a stripped STARTTLS would look
  });
  afterEach(async () => {
    await smtp.close();
    deps.close();
  });

  const sendAck = async (allow: 'true' | 'false') => {
    deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: 'support@desk.example', SMTP_ALLOW_PLAINTEXT: allow });
    const services = buildServices(deps);
    await createTicket(services.ctx, { kind: 'system' }, { subject: 'Printer', body: 'It jams.', requesterEmail: 'anna@client.example', requesterName: 'Anna' });
    const worker = createOutboxWorker(services.ctx, { senders: services.senders, retry: { maxAttempts: 3, baseMs: 60_000, maxMs: 600_000 } });
    try {
      return await worker.runOnce();
    } finally {
      await worker.stop();
    }
  };

  it('refuses to send in plain text, with an error that says what to do', async () => {
    expect(await sendAck('false')).toMatchObject({ sent: 0, deferred: 1 });
    expect(smtp.received).toHaveLength(0);
    const [row] = await listOutbox(deps.db, {}, { limit: 1 });
    expect(row).toMatchObject({ status: 'pending', attempts: 0 }); // kept until the configuration is fixed
    expect(row.lastError).toMatch(/did not switch to TLS \(STARTTLS\).*SMTP_ALLOW_PLAINTEXT=true/);
    expect(await getChannelHealth(deps.db, 'email')).toMatchObject({ ok: false });
  });

  it('sends when plain text is allowed explicitly', async () => {
    expect(await sendAck('true')).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
  });
});
