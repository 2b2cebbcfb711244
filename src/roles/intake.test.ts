// The intake role starts what each channel of the desk runs, in the channels' order, and stops it
// in reverse; a channel that fails to start stops the ones already started.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import type { Channel, ChannelIntake, IntakeTiming } from '../channels/channel.ts';
import { emailChannel } from '../channels/email/index.ts';
import { smsChannel } from '../channels/sms/index.ts';
import { buildServices } from '../services.ts';
import { startIntake } from './intake.ts';

let deps: TestDeps;
beforeEach(async () => {
  deps = await makeTestDeps();
});
afterEach(() => deps.close());

type Fake = ChannelIntake & { reconciled: number };

function fakeChannel(id: string, log: string[], opts: { failStart?: boolean; timing?: IntakeTiming[] } = {}): Channel<Fake> {
  return {
    id,
    forDesk: () => ({
      async startIntake(_ctx, _intake, timing) {
        opts.timing?.push(timing);
        if (opts.failStart) throw new Error(`${id} cannot start`);
        log.push(`start ${id}`);
        const running: Fake = {
          reconciled: 0,
          async reconcile() {
            running.reconciled++;
          },
          async stop() {
            log.push(`stop ${id}`);
          },
        };
        return running;
      },
    }),
  };
}

it("starts each channel's intake with the role's timing, reconciles them, and stops them in reverse", async () => {
  const log: string[] = [];
  const timing: IntakeTiming[] = [];
  const a = fakeChannel('a', log, { timing });
  const b = fakeChannel('b', log);
  const role = await startIntake(buildServices(deps, { channels: [a, smsChannel, b] }), { reconcileMs: 1234, idle: false });
  expect(log).toEqual(['start a', 'start b']);
  expect(timing).toEqual([{ reconcileMs: 1234, idle: false }]);
  expect(role.channel(smsChannel)).toBeUndefined(); // its messages come through the web role's webhooks
  await role.reconcile();
  expect([role.channel(a)?.reconciled, role.channel(b)?.reconciled]).toEqual([1, 1]);
  await role.stop();
  expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
});

it('stops the channels already started when one fails to start', async () => {
  const log: string[] = [];
  const services = buildServices(deps, { channels: [fakeChannel('a', log), fakeChannel('b', log, { failStart: true })] });
  await expect(startIntake(services)).rejects.toThrow('b cannot start');
  expect(log).toEqual(['start a', 'stop a']);
});

it('runs the email channel by default, with no mailbox and no SMTP listener configured', async () => {
  const role = await startIntake(buildServices(deps));
  try {
    const email = role.channel(emailChannel);
    expect(email?.smtp).toBeNull();
    expect(email?.pollers()).toEqual([]);
  } finally {
    await role.stop();
  }
});
