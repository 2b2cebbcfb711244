// The demo's clock: the seed plays a scene at the moment it happened (a ticket opened hours ago,
// so that its SLA is overdue now) and then returns to the present.
import type { Clock } from '../deps.ts';

export type DemoClock = Clock & {
  /** from now on the clock reads `ms`, until `present()` */
  at(ms: number): void;
  present(): void;
};

export function demoClock(real: Clock): DemoClock {
  let fixed: number | null = null;
  return {
    now: () => fixed ?? real.now(),
    at: (ms) => {
      fixed = ms;
    },
    present: () => {
      fixed = null;
    },
  };
}
