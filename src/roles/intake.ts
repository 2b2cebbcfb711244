// The intake role: what each channel of the desk runs to take messages in (the email channel's
// IMAP pollers and SMTP listener), started in the channels' order and stopped in reverse.
import type { Channel, ChannelIntake, IntakeTiming } from '../channels/channel.ts';
import type { Services } from '../services.ts';
import type { RunningRole } from './role.ts';

export type IntakeRoleOptions = IntakeTiming;

export type IntakeRole = RunningRole & {
  /** what this channel runs here; undefined when it runs nothing in this role */
  channel<Running extends ChannelIntake>(channel: Channel<Running>): Running | undefined;
  /** applies the channels' changed settings (mailboxes) now instead of at their next check */
  reconcile(): Promise<void>;
};

export async function startIntake(services: Services, opts: IntakeRoleOptions = {}): Promise<IntakeRole> {
  const { ctx, intake } = services;
  const running = new Map<string, ChannelIntake>();
  const stopAll = async () => {
    for (const r of [...running.values()].reverse()) await r.stop();
    running.clear();
  };
  try {
    for (const { channel, parts } of services.channels) {
      const started = await parts.startIntake?.(ctx, intake, opts);
      if (started) running.set(channel.id, started);
    }
  } catch (err) {
    await stopAll().catch((stopErr: unknown) => ctx.log.warn({ err: stopErr }, 'intake did not stop cleanly after a failed start'));
    throw err;
  }

  return {
    name: 'intake',
    channel: <Running extends ChannelIntake>(channel: Channel<Running>) => running.get(channel.id) as Running | undefined,
    async reconcile() {
      for (const r of running.values()) await r.reconcile?.();
    },
    stop: stopAll,
  };
}
