// The outbox role: the worker that delivers queued mail (and SMS, once its sender is registered).
import { createOutboxWorker } from '../outbox/worker.ts';
import type { Services } from '../services.ts';
import type { RunningRole } from './role.ts';

export async function startOutbox(services: Services): Promise<RunningRole> {
  const { ctx } = services;
  const worker = createOutboxWorker(ctx, { senders: services.senders });
  worker.start();
  ctx.log.info({ channels: services.senders.filter((s) => s.configured).map((s) => s.channel) }, 'outbox worker started');
  return { name: 'outbox', stop: () => worker.stop() };
}
