// The outbox role: the worker that delivers queued mail and SMS through the configured senders.
import { createOutboxWorker } from '../outbox/worker.ts';
import type { Services } from '../services.ts';
import type { RunningRole } from './role.ts';

export async function startOutbox(services: Services): Promise<RunningRole> {
  const { ctx } = services;
  const worker = createOutboxWorker(ctx, { senders: services.senders });
  worker.start();
  ctx.log.info({ channels: services.senders.filter((s) => s.configured).map((s) => s.channel) }, 'outbox worker started');
  if (!ctx.config.smtp) ctx.log.warn('outgoing mail is off (SMTP_URL is not set): mail stays queued in the outbox until it is configured');
  return { name: 'outbox', stop: () => worker.stop() };
}
