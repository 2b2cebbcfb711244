import { describe, expect, it } from 'vitest';
import { compileCalendar, type BusinessCalendar, type Interval } from './business-calendar.ts';
import {
  agentReplied, describeTargets, dueNotices, escalationHandled, escalationStarted, measuresOf, missedByMeasures, missedContractTarget, nextCheckAt, nextResponseCycles, recordNotices, MEASURE_MET, requesterWrote, startClock, syncClock,
  type SlaConfig, type SlaState, type TicketSnapshot,
} from './sla-clock.ts';
import type { TicketStatus } from './vocabulary.ts';
import { seededRandom } from '../demo/random.ts';

const Z = (iso: string) => Date.parse(iso);
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString().replace('.000Z', 'Z'));
const H = 3_600_000;
const DAY: Interval[] = [['09:00', '18:00']];
const moscow: BusinessCalendar = {
  timeZone: 'Europe/Moscow',
  weeklyHours: [DAY, DAY, DAY, DAY, DAY, [], []],
  exceptions: [
    { date: '2026-11-03', kind: 'workday', hours: [['09:00', '17:00']] },
    { date: '2026-11-04', kind: 'holiday', hours: null },
  ],
};
const berlin: BusinessCalendar = { timeZone: 'Europe/Berlin', weeklyHours: [[['09:00', '17:00']], [['09:00', '17:00']], [['09:00', '17:00']], [['09:00', '17:00']], [['09:00', '17:00']], [], []], exceptions: [] };

function config(over: Partial<SlaConfig> & { cal?: BusinessCalendar } = {}): SlaConfig {
  const { cal, ...rest } = over;
  return {
    policyId: 1,
    calendar: compileCalendar(cal ?? moscow),
    minutes: { firstResponse: 60, resolution: 480, internalFirstResponse: 30, internalResolution: 240 },
    warningPercent: 80,
    pauseOnThirdParty: false,
    ...rest,
  };
}

const snap = (createdAt: string, status: TicketStatus = 'new', firstRespondedAt: string | null = null): TicketSnapshot => ({
  status, createdAt: Z(createdAt), firstRespondedAt: firstRespondedAt ? Z(firstRespondedAt) : null,
});

/** Replays status changes [at, status] on a ticket created at `created`. */
function replay(cfg: SlaConfig, created: string, steps: [string, TicketStatus, string?][]): SlaState {
  let s = syncClock(null, cfg, snap(created), Z(created));
  for (const [at, status, responded] of steps) s = syncClock(s, cfg, snap(created, status, responded ?? null), Z(at));
  return s;
}

describe('SLA clock: due and warning times', () => {
  it.each([
    // name, created (UTC), target, minutes, due (UTC), warning at 80 % (UTC)
    ['within the day (Mon 10:00 MSK)', '2026-11-02T07:00:00Z', 'firstResponse', 60, '2026-11-02T08:00:00Z', '2026-11-02T07:48:00Z'],
    ['after hours: the clock starts next morning', '2026-11-02T17:00:00Z', 'firstResponse', 60, '2026-11-03T07:00:00Z', '2026-11-03T06:48:00Z'],
    ['over the weekend (Fri 17:30)', '2026-11-13T14:30:00Z', 'resolution', 120, '2026-11-16T07:30:00Z', '2026-11-16T07:06:00Z'],
    ['short pre-holiday day and the holiday', '2026-11-03T13:00:00Z', 'resolution', 180, '2026-11-05T08:00:00Z', '2026-11-05T07:24:00Z'],
    ['internal target stricter than the contract', '2026-11-02T07:00:00Z', 'internalFirstResponse', 30, '2026-11-02T07:30:00Z', '2026-11-02T07:24:00Z'],
  ] as const)('%s', (_name, created, target, minutes, due, warn) => {
    const s = syncClock(null, config({ minutes: { [target]: minutes } }), snap(created), Z(created));
    expect(iso(s.targets[target]?.dueAt)).toBe(due);
    expect(iso(s.targets[target]?.warnAt)).toBe(warn);
  });

  it.each([
    ['spring forward', '2026-03-27T15:00:00Z', '2026-03-30T08:00:00Z'],
    ['fall back', '2026-10-23T14:00:00Z', '2026-10-26T09:00:00Z'],
  ])('keeps business hours local across DST (%s)', (_name, created, due) => {
    const s = syncClock(null, config({ cal: berlin, minutes: { resolution: 120 } }), snap(created), Z(created));
    expect(iso(s.targets.resolution?.dueAt)).toBe(due);
  });

  it('uses the warning share of the policy', () => {
    const s = syncClock(null, config({ warningPercent: 50, minutes: { resolution: 480 } }), snap('2026-11-02T06:00:00Z'), Z('2026-11-02T06:00:00Z'));
    expect(iso(s.targets.resolution?.warnAt)).toBe('2026-11-02T10:00:00Z');
    expect(iso(s.targets.resolution?.dueAt)).toBe('2026-11-02T14:00:00Z');
  });
});

describe('SLA clock: pauses and resumes', () => {
  it.each([
    {
      name: 'pending requester pauses, the answer resumes with the time that was left',
      cfg: {},
      steps: [['2026-11-09T09:00:00Z', 'pending_requester'], ['2026-11-11T07:00:00Z', 'in_progress']] as [string, TicketStatus][],
      // created Mon 10:00 MSK, paused at 12:00 after 2 h of 8, resumed Wed 10:00 → 6 h left → Wed 16:00
      due: '2026-11-11T13:00:00Z',
    },
    {
      name: 'pending third party keeps running unless the policy pauses it',
      cfg: {},
      steps: [['2026-11-09T09:00:00Z', 'pending_third_party'], ['2026-11-11T07:00:00Z', 'in_progress']] as [string, TicketStatus][],
      due: '2026-11-09T15:00:00Z',
    },
    {
      name: 'pending third party pauses when configured',
      cfg: { pauseOnThirdParty: true },
      steps: [['2026-11-09T09:00:00Z', 'pending_third_party'], ['2026-11-11T07:00:00Z', 'in_progress']] as [string, TicketStatus][],
      due: '2026-11-11T13:00:00Z',
    },
    {
      name: 'a pause over a weekend and back',
      cfg: {},
      steps: [['2026-11-09T14:00:00Z', 'pending_requester'], ['2026-11-14T10:00:00Z', 'in_progress']] as [string, TicketStatus][],
      // 7 h used Monday (10:00–17:00), resumed on Saturday: 1 h on Monday 16 Nov
      due: '2026-11-16T07:00:00Z',
    },
    {
      name: 'two pauses add up',
      cfg: {},
      steps: [
        ['2026-11-09T08:00:00Z', 'pending_requester'], ['2026-11-09T10:00:00Z', 'in_progress'],
        ['2026-11-09T11:00:00Z', 'pending_requester'], ['2026-11-10T06:00:00Z', 'in_progress'],
      ] as [string, TicketStatus][],
      // 1 h + 1 h used, resumed Tue 09:00 → 6 h → 15:00
      due: '2026-11-10T12:00:00Z',
    },
  ])('$name', ({ cfg, steps, due }) => {
    const c = config({ ...cfg, minutes: { resolution: 480 } });
    const paused = replay(c, '2026-11-09T07:00:00Z', steps.slice(0, 1));
    if (c.pauseOnThirdParty || steps[0][1] === 'pending_requester') {
      expect(paused.pausedAt).toBe(Z(steps[0][0]));
      expect(paused.targets.resolution?.dueAt).toBeNull();
      expect(describeTargets(paused, Z(steps[0][0]) + H)[0]).toMatchObject({ state: 'paused' });
    }
    const s = replay(c, '2026-11-09T07:00:00Z', steps);
    expect(s.pausedAt).toBeNull();
    expect(iso(s.targets.resolution?.dueAt)).toBe(due);
  });

  it('stops at resolution, and a reopened ticket continues where it stopped', () => {
    const c = config({ minutes: { resolution: 480 } });
    const resolved = replay(c, '2026-11-09T07:00:00Z', [['2026-11-09T10:00:00Z', 'resolved']]);
    expect(resolved.targets.resolution).toMatchObject({ metAt: Z('2026-11-09T10:00:00Z'), late: false });
    expect(describeTargets(resolved, Z('2026-11-20T00:00:00Z'))[0].state).toBe('met');
    // reopened on Wednesday 10:00 MSK: 3 h were used, 5 h are left → 15:00
    const reopened = replay(c, '2026-11-09T07:00:00Z', [['2026-11-09T10:00:00Z', 'resolved'], ['2026-11-11T07:00:00Z', 'reopened']]);
    expect(reopened.targets.resolution?.metAt).toBeNull();
    expect(iso(reopened.targets.resolution?.dueAt)).toBe('2026-11-11T12:00:00Z');
  });

  it('meets the first response when the agent answers, on time or late', () => {
    const c = config();
    const onTime = replay(c, '2026-11-09T07:00:00Z', [['2026-11-09T07:40:00Z', 'new', '2026-11-09T07:40:00Z']]);
    expect(onTime.targets.firstResponse).toMatchObject({ metAt: Z('2026-11-09T07:40:00Z'), late: false });
    expect(onTime.targets.internalFirstResponse).toMatchObject({ late: true, breachedAt: Z('2026-11-09T07:30:00Z') });
    expect(onTime.targets.resolution?.metAt).toBeNull();
    const states = describeTargets(onTime, Z('2026-11-09T08:00:00Z'));
    expect(states.map((t) => [t.target, t.state, t.internal])).toEqual([
      ['firstResponse', 'met', false], ['resolution', 'running', false], ['internalFirstResponse', 'met_late', true], ['internalResolution', 'running', true],
    ]);
  });

  it('a priority change moves the due time; met targets keep their measure', () => {
    const c = config();
    let s = syncClock(null, c, snap('2026-11-09T07:00:00Z'), Z('2026-11-09T07:00:00Z'));
    s = syncClock(s, { ...c, minutes: { ...c.minutes, resolution: 120 } }, snap('2026-11-09T07:00:00Z'), Z('2026-11-09T07:30:00Z'));
    expect(iso(s.targets.resolution?.dueAt)).toBe('2026-11-09T09:00:00Z');
    s = syncClock(s, { ...c, minutes: { firstResponse: 60 } }, snap('2026-11-09T07:00:00Z'), Z('2026-11-09T07:40:00Z'));
    expect(Object.keys(s.targets)).toEqual(['firstResponse']);
  });
});

describe('SLA clock: warnings and breaches', () => {
  it('announces a warning, then the breach, each exactly once', () => {
    const c = config({ minutes: { firstResponse: 60 } });
    let s = syncClock(null, c, snap('2026-11-09T07:00:00Z'), Z('2026-11-09T07:00:00Z'));
    expect(nextCheckAt(s)).toBe(Z('2026-11-09T07:48:00Z'));
    expect(dueNotices(s, Z('2026-11-09T07:47:59Z'))).toEqual([]);
    const warn = dueNotices(s, Z('2026-11-09T07:48:00Z'));
    expect(warn).toEqual([{ target: 'firstResponse', kind: 'warning', key: 'firstResponse:warning', cycle: 0, dueAt: Z('2026-11-09T08:00:00Z'), internal: false }]);
    s = recordNotices(s, warn);
    expect(dueNotices(s, Z('2026-11-09T07:50:00Z'))).toEqual([]);
    expect(nextCheckAt(s)).toBe(Z('2026-11-09T08:00:00Z'));
    const breach = dueNotices(s, Z('2026-11-09T08:00:00Z'));
    expect(breach.map((n) => n.key)).toEqual(['firstResponse:breach']);
    s = recordNotices(s, breach);
    expect(dueNotices(s, Z('2026-11-10T00:00:00Z'))).toEqual([]);
    expect(nextCheckAt(s)).toBeNull();
    expect(s.targets.firstResponse?.breachedAt).toBe(Z('2026-11-09T08:00:00Z'));
    expect(describeTargets(s, Z('2026-11-09T09:00:00Z'))[0]).toMatchObject({ state: 'breached', leftMs: -H, warned: true });
  });

  it('skips the warning when the breach is already due (a late scheduler sends one notice, not two)', () => {
    const s = syncClock(null, config({ minutes: { resolution: 60 } }), snap('2026-11-09T07:00:00Z'), Z('2026-11-09T07:00:00Z'));
    const notices = dueNotices(s, Z('2026-11-09T12:00:00Z'));
    expect(notices.map((n) => n.key)).toEqual(['resolution:breach']);
    expect(dueNotices(recordNotices(s, notices), Z('2026-11-09T12:00:00Z'))).toEqual([]);
  });

  it('a paused ticket announces nothing, and a reopened breached ticket is not announced again', () => {
    const c = config({ minutes: { resolution: 60 } });
    let s = replay(c, '2026-11-09T07:00:00Z', [['2026-11-09T07:30:00Z', 'pending_requester']]);
    expect(dueNotices(s, Z('2026-11-20T00:00:00Z'))).toEqual([]);
    expect(nextCheckAt(s)).toBeNull();
    s = syncClock(s, c, snap('2026-11-09T07:00:00Z', 'in_progress'), Z('2026-11-10T06:00:00Z'));
    s = recordNotices(s, dueNotices(s, Z('2026-11-10T07:00:00Z')));
    expect(s.fired).toEqual(['resolution:breach', 'resolution:warning']);
    s = syncClock(s, c, snap('2026-11-09T07:00:00Z', 'resolved'), Z('2026-11-10T08:00:00Z'));
    s = syncClock(s, c, snap('2026-11-09T07:00:00Z', 'reopened'), Z('2026-11-11T08:00:00Z'));
    expect(dueNotices(s, Z('2026-11-12T08:00:00Z'))).toEqual([]);
  });

  it('a target breached before a pause stays breached after it', () => {
    const c = config({ minutes: { resolution: 60 } });
    const s = replay(c, '2026-11-09T07:00:00Z', [['2026-11-09T09:00:00Z', 'pending_requester'], ['2026-11-10T06:00:00Z', 'in_progress']]);
    expect(iso(s.targets.resolution?.dueAt)).toBe('2026-11-09T08:00:00Z');
    expect(dueNotices(s, Z('2026-11-10T06:00:00Z')).map((n) => n.key)).toEqual(['resolution:breach']);
  });
});

describe('SLA clock: next response and escalation', () => {
  it('runs a next-response cycle from the requester’s message to the agent’s reply', () => {
    const c = config({ minutes: { firstResponse: 60, nextResponse: 120 } });
    const created = '2026-11-09T07:00:00Z';
    let s = syncClock(null, c, snap(created), Z(created));
    // before the first response there is no next-response clock
    s = requesterWrote(s, c, snap(created), Z('2026-11-09T07:10:00Z'));
    expect(s.targets.nextResponse).toBeUndefined();
    s = syncClock(s, c, snap(created, 'in_progress', '2026-11-09T07:20:00Z'), Z('2026-11-09T07:20:00Z'));
    s = requesterWrote(s, c, snap(created, 'in_progress', '2026-11-09T07:20:00Z'), Z('2026-11-09T14:00:00Z'));
    expect(s.targets.nextResponse).toMatchObject({ cycle: 1, dueAt: Z('2026-11-10T07:00:00Z') });
    // a second message while waiting does not restart the clock
    s = requesterWrote(s, c, snap(created, 'in_progress', '2026-11-09T07:20:00Z'), Z('2026-11-09T14:30:00Z'));
    expect(s.targets.nextResponse?.cycle).toBe(1);
    expect(dueNotices(s, Z('2026-11-10T07:00:00Z')).map((n) => n.key)).toEqual(['nextResponse#1:breach']);
    s = agentReplied(s, c, Z('2026-11-10T06:00:00Z'));
    expect(s.targets.nextResponse).toMatchObject({ metAt: Z('2026-11-10T06:00:00Z'), late: false });
    s = requesterWrote(s, c, snap(created, 'in_progress', '2026-11-09T07:20:00Z'), Z('2026-11-10T08:00:00Z'));
    expect(s.targets.nextResponse).toMatchObject({ cycle: 2, metAt: null });
    expect(dueNotices(s, Z('2026-11-10T10:00:00Z')).map((n) => n.key)).toEqual(['nextResponse#2:breach']);
  });

  it('counts every next-response cycle, though it keeps only the last one’s target', () => {
    const c = config({ minutes: { firstResponse: 60, nextResponse: 120 } });
    const created = '2026-11-09T07:00:00Z';
    const answered = snap(created, 'in_progress', '2026-11-09T07:20:00Z');
    let s = syncClock(null, c, snap(created), Z(created));
    s = syncClock(s, c, answered, Z('2026-11-09T07:20:00Z'));
    expect(nextResponseCycles(s, Z('2026-11-09T08:00:00Z'))).toEqual({ met: 0, breached: 0, pending: 0 });
    // 1: answered in an hour of a two-hour target
    s = requesterWrote(s, c, answered, Z('2026-11-09T08:00:00Z'));
    expect(nextResponseCycles(s, Z('2026-11-09T08:30:00Z'))).toEqual({ met: 0, breached: 0, pending: 1 });
    s = agentReplied(s, c, Z('2026-11-09T09:00:00Z'));
    expect(missedContractTarget(s, Z('2026-11-09T10:00:00Z'))).toBe(false);
    // 2: answered after four business hours
    s = requesterWrote(s, c, answered, Z('2026-11-09T10:00:00Z'));
    s = agentReplied(s, c, Z('2026-11-09T14:00:00Z'));
    expect(nextResponseCycles(s, Z('2026-11-09T14:10:00Z'))).toEqual({ met: 1, breached: 1, pending: 0 });
    // 3: still waiting, then overdue without an answer
    s = requesterWrote(s, c, answered, Z('2026-11-10T06:00:00Z'));
    expect(s.targets.nextResponse?.cycle).toBe(3);
    expect(nextResponseCycles(s, Z('2026-11-10T07:00:00Z'))).toEqual({ met: 1, breached: 1, pending: 1 });
    // the late answer is no longer the clock's target, and still a missed one
    expect(s.targets.nextResponse).toMatchObject({ metAt: null, late: false });
    expect(missedContractTarget(s, Z('2026-11-10T07:00:00Z'))).toBe(true);
    expect(nextResponseCycles(s, Z('2026-11-10T09:00:00Z'))).toEqual({ met: 1, breached: 2, pending: 0 });
    // resolving answers the requester: the open cycle ends, late
    s = syncClock(s, c, snap(created, 'resolved', '2026-11-09T07:20:00Z'), Z('2026-11-10T10:00:00Z'));
    expect(nextResponseCycles(s, Z('2026-11-11T10:00:00Z'))).toEqual({ met: 1, breached: 2, pending: 0 });
    expect(nextResponseCycles(null, Z('2026-11-11T10:00:00Z'))).toEqual({ met: 0, breached: 0, pending: 0 });
  });

  it('gives a complaint its own clock that does not pause with the ticket', () => {
    const c = config({ minutes: { resolution: 480, escalation: 60 } });
    const created = '2026-11-09T07:00:00Z';
    let s = syncClock(null, c, snap(created), Z(created));
    s = escalationStarted(s, c, Z('2026-11-09T08:00:00Z'));
    s = syncClock(s, c, snap(created, 'pending_requester'), Z('2026-11-09T08:10:00Z'));
    expect(iso(s.targets.escalation?.dueAt)).toBe('2026-11-09T09:00:00Z');
    expect(dueNotices(s, Z('2026-11-09T09:00:00Z')).map((n) => n.key)).toEqual(['escalation#1:breach']);
    s = escalationHandled(s, c, Z('2026-11-09T08:30:00Z'));
    expect(s.targets.escalation).toMatchObject({ metAt: Z('2026-11-09T08:30:00Z'), late: false });
    expect(dueNotices(s, Z('2026-11-09T10:00:00Z'))).toEqual([]);
  });

  it('starts nothing when the policy has no such target', () => {
    const c = config({ minutes: { resolution: 480 } });
    const s0 = startClock(c, Z('2026-11-09T07:00:00Z'));
    expect(escalationStarted(s0, c, Z('2026-11-09T08:00:00Z'))).toBe(s0);
    expect(requesterWrote(s0, c, snap('2026-11-09T07:00:00Z', 'new', '2026-11-09T07:10:00Z'), Z('2026-11-09T08:00:00Z'))).toBe(s0);
  });
});

describe('SLA clock: the measures stored for reports', () => {
  /** How a mark judges at `now`: the rule the reports' SQL applies. */
  const judged = (mark: number | null, now: number) => (mark === null ? undefined : mark === MEASURE_MET ? 'met' : mark <= now ? 'breached' : 'pending');

  it('judge every target as the clock does, over random histories of status changes, answers and notices', () => {
    const rand = seededRandom(17);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const STATUSES: TicketStatus[] = ['assigned', 'in_progress', 'pending_requester', 'pending_third_party', 'resolved', 'reopened', 'closed'];
    let checked = 0;
    const seen = new Set<string>();
    for (let run = 0; run < 300; run++) {
      // the targets of a priority; a change of priority or policy mid-history changes them
      const pauseOnThirdParty = rand() < 0.5;
      const targets = () => config({
        minutes: { firstResponse: pick([30, 60, 480]), nextResponse: pick([null, 30, 120]), resolution: pick([240, 480]), internalFirstResponse: pick([null, 30]), internalResolution: pick([null, 120]) },
        pauseOnThirdParty,
      });
      let c = targets();
      // on the hour or half hour now and then: due times that fall on the end of a working day
      const created = Z('2026-11-02T05:00:00Z') + (rand() < 0.5 ? Math.floor(rand() * 240) * 1_800_000 : Math.floor(rand() * 5 * 86_400_000));
      let at = created;
      let status: TicketStatus = 'new';
      let responded: number | null = null;
      const snapNow = () => ({ status, createdAt: created, firstRespondedAt: responded });
      let s = syncClock(null, c, snapNow(), at);
      for (let step = 0; step < 12; step++) {
        at += rand() < 0.5 ? Math.floor(rand() * 12) * 1_800_000 : Math.floor(rand() * 6 * 3_600_000);
        const what = rand();
        if (what < 0.1) {
          c = targets();
          s = syncClock(s, c, snapNow(), at);
        } else if (what < 0.35) {
          status = pick(STATUSES);
          s = syncClock(s, c, snapNow(), at);
        } else if (what < 0.6) {
          if (responded === null) responded = at;
          s = agentReplied(syncClock(s, c, snapNow(), at), c, at);
        } else if (what < 0.85) {
          s = requesterWrote(s, c, snapNow(), at);
        } else {
          s = recordNotices(s, dueNotices(s, at));
        }
        const m = measuresOf(s);
        for (const now of [at, at + 3_600_000, at + 3 * 86_400_000]) {
          const views = describeTargets(s, now);
          for (const key of ['firstResponse', 'internalFirstResponse', 'resolution', 'internalResolution'] as const) {
            const v = views.find((x) => x.target === key);
            const expected = v === undefined ? undefined : v.state === 'met' ? 'met' : v.state === 'met_late' || v.state === 'breached' ? 'breached' : 'pending';
            expect(judged(m[key], now), `${run}/${step} ${key}`).toBe(expected);
            seen.add(`${key}:${v?.state}`);
          }
          expect(missedByMeasures(m, now), `${run}/${step} missed`).toBe(missedContractTarget(s, now));
          const cycles = nextResponseCycles(s, now);
          const open = judged(m.next, now);
          if (m.nextLate > 0) seen.add('next:late');
          seen.add(`next:${open}`);
          expect({ met: m.nextMet, breached: m.nextLate + (open === 'breached' ? 1 : 0), pending: open === 'pending' ? 1 : 0 }, `${run}/${step} next`).toEqual(cycles);
          checked++;
        }
      }
    }
    expect(checked).toBe(300 * 12 * 3);
    // the histories reach every state of the clock
    for (const state of ['running', 'paused', 'met', 'met_late', 'breached']) expect(seen, state).toContain(`resolution:${state}`);
    for (const state of ['late', 'breached', 'pending']) expect(seen, state).toContain(`next:${state}`);
  });

  it('mark a ticket without a clock as tracking nothing', () => {
    expect(measuresOf(null)).toEqual({ firstResponse: null, internalFirstResponse: null, resolution: null, internalResolution: null, next: null, nextMet: 0, nextLate: 0 });
  });
});
