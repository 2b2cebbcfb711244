// The outbox role: the worker that delivers queued mail and SMS through the configured senders.
import { createOutboxWorker } from '../outbox/worker.ts';
import type { Services } from '../services.ts';
import type { RunningRole } from './role.ts';

export async function startOutbox(services: Services): Promise<RunningRole> {
  const { ctx } = services;
  const worker = createOutboxWorker(ctx, { senders: services.senders });
  worker.start();
  // a sender that is not configured says what it lacks once something waits for it (the worker's warning)
  const by = (configured: boolean) => services.senders.filter((s) => s.configured === configured).map((s) => s.channel);
  ctx.log.info({ channels: by(true), notConfigured: by(false) }, 'outbox worker started');
  return { name: 'outbox', stop: () => worker.stop() };
}
