// Who and when in the demo's scenes: the desk's services on the demo clock, the demo's staff by
// address, and the present moment the scenes are placed against.
import type { Services } from '../services.ts';
import type { User } from '../store/users.ts';
import type { DemoClock } from './demo-clock.ts';
import { rawMail, type DemoMail } from './raw-mail.ts';

export type Cast = { services: Services; clock: DemoClock; staff: Record<string, User>; now: number };

export const MINUTE = 60_000;

/** A staff member as the actor of an action. */
export function actor(cast: Cast, email: string): { kind: 'user'; user: User } {
  const user = cast.staff[email];
  if (!user) throw new Error(`the demo has no staff member ${email}`);
  return { kind: 'user', user };
}

export async function receiveMail(cast: Cast, mail: DemoMail) {
  return await cast.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail(mail) });
}

/** Plays `scene` with the clock at `at`, then returns to the present. */
export async function playAt<T>(cast: Cast, at: number, scene: () => Promise<T>): Promise<T> {
  cast.clock.at(at);
  try {
    return await scene();
  } finally {
    cast.clock.present();
  }
}
