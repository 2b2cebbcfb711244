// The SLA clock of one ticket as plain data: stopwatches that count business time, targets with
// their due and warning instants, pauses while the ticket waits on the requester (and, if the
// policy says so, on a third party), and which warnings and breaches were already announced.
// Every function takes the time in and returns a new state; nothing here reads a clock.
import { addBusinessTime, businessTimeBetween, type CompiledCalendar } from './business-calendar.ts';
import type { TicketStatus } from './vocabulary.ts';

export const TARGET_KEYS = ['firstResponse', 'nextResponse', 'resolution', 'internalFirstResponse', 'internalResolution', 'escalation'] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];
/** Targets that are the desk's own stricter goals, not promised in the contract. */
export const INTERNAL_TARGETS: readonly TargetKey[] = ['internalFirstResponse', 'internalResolution'];

type WatchName = 'main' | 'next' | 'escalation';
const WATCH_OF: Record<TargetKey, WatchName> = {
  firstResponse: 'main', resolution: 'main', internalFirstResponse: 'main', internalResolution: 'main',
  nextResponse: 'next', escalation: 'escalation',
};
const RESPONSE_TARGETS: TargetKey[] = ['firstResponse', 'internalFirstResponse'];
const RESOLUTION_TARGETS: TargetKey[] = ['resolution', 'internalResolution'];
/** Targets that start with the ticket; next response and escalation start on their own events. */
const TICKET_TARGETS: TargetKey[] = [...RESPONSE_TARGETS, ...RESOLUTION_TARGETS];

export type SlaConfig = {
  policyId: number | null;
  calendar: CompiledCalendar;
  /** business minutes per target for the ticket's priority; absent or null: not tracked */
  minutes: Partial<Record<TargetKey, number | null>>;
  warningPercent: number;
  pauseOnThirdParty: boolean;
};

/** Business time counted so far, and since when it has been running (null: stopped). */
export type Stopwatch = { elapsedMs: number; since: number | null };

export type TargetState = {
  minutes: number;
  /** next response and escalation repeat: each cycle is announced on its own */
  cycle: number;
  startedAt: number;
  dueAt: number | null; // null while the clock is stopped
  warnAt: number | null;
  /** business time left while the clock is stopped */
  leftMs: number | null;
  metAt: number | null;
  late: boolean;
  breachedAt: number | null;
};

export type SlaState = {
  v: 1;
  policyId: number | null;
  warningPercent: number;
  pauseOnThirdParty: boolean;
  /** the ticket status the clock last saw */
  status: TicketStatus;
  pausedAt: number | null;
  watches: Record<WatchName, Stopwatch | null>;
  cycles: { next: number; escalation: number };
  targets: Partial<Record<TargetKey, TargetState>>;
  /**
   * Next-response cycles that ended before the present one began: the clock keeps only the last
   * cycle's target, so each one it replaces is counted here, met in time or late. Absent on clocks
   * kept before it was counted.
   */
  nextTally?: { met: number; late: number };
  /** announced notices: "resolution:warning", "nextResponse#2:breach", "budget:exceeded" */
  fired: string[];
};

export type TicketSnapshot = { status: TicketStatus; createdAt: number; firstRespondedAt: number | null };

export type Notice = { target: TargetKey; kind: 'warning' | 'breach'; key: string; cycle: number; dueAt: number; internal: boolean };

export function isStoppedStatus(status: TicketStatus): boolean {
  return status === 'resolved' || status === 'closed';
}

export function isPausedStatus(status: TicketStatus, pauseOnThirdParty: boolean): boolean {
  return status === 'pending_requester' || (pauseOnThirdParty && status === 'pending_third_party');
}

export function isRunningStatus(status: TicketStatus, pauseOnThirdParty: boolean): boolean {
  return !isStoppedStatus(status) && !isPausedStatus(status, pauseOnThirdParty);
}

function elapsedAt(w: Stopwatch | null, cal: CompiledCalendar, at: number): number {
  if (!w) return 0;
  return w.elapsedMs + (w.since !== null && at > w.since ? businessTimeBetween(cal, w.since, at) : 0);
}

function stop(w: Stopwatch | null, cal: CompiledCalendar, at: number): Stopwatch | null {
  return w && w.since !== null ? { elapsedMs: elapsedAt(w, cal, at), since: null } : w;
}

function start(w: Stopwatch | null, at: number): Stopwatch | null {
  return w && w.since === null ? { ...w, since: at } : w;
}

function newTarget(minutes: number, startedAt: number, cycle = 0): TargetState {
  return { minutes, cycle, startedAt, dueAt: null, warnAt: null, leftMs: null, metAt: null, late: false, breachedAt: null };
}

function meet(t: TargetState, w: Stopwatch | null, cal: CompiledCalendar, at: number): TargetState {
  if (t.metAt !== null) return t;
  const late = elapsedAt(w, cal, at) > t.minutes * 60_000;
  return { ...t, metAt: at, late, breachedAt: late ? (t.breachedAt ?? t.dueAt ?? at) : t.breachedAt, warnAt: null, leftMs: null };
}

/** Due and warning instants of an open target from its stopwatch. */
function schedule(t: TargetState, w: Stopwatch | null, cal: CompiledCalendar, warningPercent: number): TargetState {
  if (t.metAt !== null) return t;
  const total = t.minutes * 60_000;
  if (!w || w.since === null) {
    return { ...t, dueAt: null, warnAt: null, leftMs: total - (w?.elapsedMs ?? 0) };
  }
  const left = total - w.elapsedMs;
  const warnLeft = Math.floor((total * warningPercent) / 100) - w.elapsedMs;
  return {
    ...t,
    // already past: the breach happened before the clock stopped
    dueAt: left > 0 ? addBusinessTime(cal, w.since, left) : (t.breachedAt ?? w.since),
    warnAt: warnLeft > 0 ? addBusinessTime(cal, w.since, warnLeft) : w.since,
    leftMs: null,
  };
}

function mapTargets(s: SlaState, fn: (key: TargetKey, t: TargetState) => TargetState | undefined): SlaState {
  const targets: SlaState['targets'] = {};
  for (const key of TARGET_KEYS) {
    const t = s.targets[key];
    if (!t) continue;
    const next = fn(key, t);
    if (next) targets[key] = next;
  }
  return { ...s, targets };
}

function rescheduled(s: SlaState, cal: CompiledCalendar): SlaState {
  return mapTargets(s, (key, t) => schedule(t, s.watches[WATCH_OF[key]], cal, s.warningPercent));
}

/** A fresh clock for a ticket created at `createdAt` (status new). */
export function startClock(cfg: SlaConfig, createdAt: number): SlaState {
  const targets: SlaState['targets'] = {};
  for (const key of TICKET_TARGETS) {
    const m = cfg.minutes[key];
    if (m && m > 0) targets[key] = newTarget(m, createdAt);
  }
  return rescheduled(
    {
      v: 1, policyId: cfg.policyId, warningPercent: cfg.warningPercent, pauseOnThirdParty: cfg.pauseOnThirdParty,
      status: 'new', pausedAt: null,
      watches: { main: { elapsedMs: 0, since: createdAt }, next: null, escalation: null },
      cycles: { next: 0, escalation: 0 }, targets, fired: [],
    },
    cfg.calendar,
  );
}

/**
 * Brings the clock in line with the ticket: policy or priority changes (new target minutes),
 * status changes (pause, resume, resolve, reopen) and the first response.
 */
export function syncClock(prev: SlaState | null, cfg: SlaConfig, snap: TicketSnapshot, at: number): SlaState {
  const cal = cfg.calendar;
  let s: SlaState = prev ?? startClock(cfg, snap.createdAt);
  const wasStopped = isStoppedStatus(s.status);
  const wasRunning = isRunningStatus(s.status, s.pauseOnThirdParty);
  s = { ...s, policyId: cfg.policyId, warningPercent: cfg.warningPercent, pauseOnThirdParty: cfg.pauseOnThirdParty };

  // targets follow the policy and priority; met targets keep what they were measured against
  const targets = { ...s.targets };
  for (const key of TARGET_KEYS) {
    const m = cfg.minutes[key];
    const t = targets[key];
    if (t && t.metAt !== null) continue;
    if (!m || m <= 0) {
      if (t) delete targets[key];
    } else if (t) targets[key] = { ...t, minutes: m };
    else if (TICKET_TARGETS.includes(key) && !(RESPONSE_TARGETS.includes(key) && snap.firstRespondedAt !== null && snap.firstRespondedAt < at)) {
      targets[key] = newTarget(m, snap.createdAt);
    }
  }
  s = { ...s, targets };
  if (!s.targets.nextResponse) s = { ...s, watches: { ...s.watches, next: null } };
  if (!s.targets.escalation) s = { ...s, watches: { ...s.watches, escalation: null } };

  const nowStopped = isStoppedStatus(snap.status);
  const nowRunning = isRunningStatus(snap.status, cfg.pauseOnThirdParty);
  if (wasRunning && !nowRunning) {
    s = { ...s, watches: { ...s.watches, main: stop(s.watches.main, cal, at), next: stop(s.watches.next, cal, at) } };
    // a target that ran out before the pause stays breached at its due time
    s = mapTargets(s, (key, t) => (WATCH_OF[key] !== 'escalation' && t.metAt === null && t.dueAt !== null && t.dueAt <= at ? { ...t, breachedAt: t.breachedAt ?? t.dueAt } : t));
  }
  if (!wasStopped && nowStopped) {
    // resolution answers the requester too, and ends the current next-response cycle
    s = mapTargets(s, (key, t) => (WATCH_OF[key] === 'escalation' ? t : meet(t, s.watches[WATCH_OF[key]], cal, at)));
    s = { ...s, watches: { ...s.watches, main: stop(s.watches.main, cal, at), next: null } };
  }
  if (wasStopped && !nowStopped) {
    // reopened: the resolution clock continues where it stopped; what was announced stays announced
    s = mapTargets(s, (key, t) => (RESOLUTION_TARGETS.includes(key) ? { ...t, metAt: null } : t));
  }
  if (!wasRunning && nowRunning) {
    s = { ...s, watches: { ...s.watches, main: start(s.watches.main, at), next: start(s.watches.next, at) } };
  }
  s = { ...s, status: snap.status, pausedAt: nowRunning || nowStopped ? null : (s.pausedAt ?? at) };

  if (snap.firstRespondedAt !== null) {
    const when = Math.min(snap.firstRespondedAt, at);
    s = mapTargets(s, (key, t) => (RESPONSE_TARGETS.includes(key) ? meet(t, s.watches.main, cal, when) : t));
  }
  return rescheduled(s, cal);
}

/** The requester wrote: after a first response, the next-response clock starts (if tracked). */
export function requesterWrote(s: SlaState, cfg: SlaConfig, snap: TicketSnapshot, at: number): SlaState {
  const minutes = cfg.minutes.nextResponse;
  const open = s.targets.nextResponse && s.targets.nextResponse.metAt === null;
  if (!minutes || open || snap.firstRespondedAt === null || isStoppedStatus(snap.status)) return s;
  const cycle = s.cycles.next + 1;
  const running = isRunningStatus(snap.status, cfg.pauseOnThirdParty);
  const ended = s.targets.nextResponse;
  const tally = s.nextTally ?? { met: 0, late: 0 };
  return rescheduled(
    {
      ...s,
      ...(ended ? { nextTally: ended.late ? { ...tally, late: tally.late + 1 } : { ...tally, met: tally.met + 1 } } : {}),
      cycles: { ...s.cycles, next: cycle },
      watches: { ...s.watches, next: { elapsedMs: 0, since: running ? at : null } },
      targets: { ...s.targets, nextResponse: newTarget(minutes, at, cycle) },
    },
    cfg.calendar,
  );
}

/** An agent answered the requester: the open next-response cycle is met. */
export function agentReplied(s: SlaState, cfg: SlaConfig, at: number): SlaState {
  const t = s.targets.nextResponse;
  if (!t || t.metAt !== null) return s;
  return {
    ...s,
    targets: { ...s.targets, nextResponse: meet(t, s.watches.next, cfg.calendar, at) },
    watches: { ...s.watches, next: null },
  };
}

/** A complaint: the component manager's own clock starts (it does not pause with the ticket). */
export function escalationStarted(s: SlaState, cfg: SlaConfig, at: number): SlaState {
  const minutes = cfg.minutes.escalation;
  const open = s.targets.escalation && s.targets.escalation.metAt === null;
  if (!minutes || open) return s;
  const cycle = s.cycles.escalation + 1;
  return rescheduled(
    {
      ...s,
      cycles: { ...s.cycles, escalation: cycle },
      watches: { ...s.watches, escalation: { elapsedMs: 0, since: at } },
      targets: { ...s.targets, escalation: newTarget(minutes, at, cycle) },
    },
    cfg.calendar,
  );
}

/** The manager took the complaint up. */
export function escalationHandled(s: SlaState, cfg: SlaConfig, at: number): SlaState {
  const t = s.targets.escalation;
  if (!t || t.metAt !== null) return s;
  return {
    ...s,
    targets: { ...s.targets, escalation: meet(t, s.watches.escalation, cfg.calendar, at) },
    watches: { ...s.watches, escalation: null },
  };
}

function baseKey(target: TargetKey, t: TargetState): string {
  return t.cycle ? `${target}#${t.cycle}` : target;
}

/** Warnings and breaches due at `now` that were not announced yet (a breach supersedes its warning). */
export function dueNotices(s: SlaState, now: number): Notice[] {
  const out: Notice[] = [];
  const fired = new Set(s.fired);
  for (const target of TARGET_KEYS) {
    const t = s.targets[target];
    if (!t || t.metAt !== null || t.dueAt === null) continue;
    const base = baseKey(target, t);
    const internal = INTERNAL_TARGETS.includes(target);
    if (t.dueAt <= now) {
      if (!fired.has(`${base}:breach`)) out.push({ target, kind: 'breach', key: `${base}:breach`, cycle: t.cycle, dueAt: t.dueAt, internal });
    } else if (t.warnAt !== null && t.warnAt <= now && !fired.has(`${base}:warning`)) {
      out.push({ target, kind: 'warning', key: `${base}:warning`, cycle: t.cycle, dueAt: t.dueAt, internal });
    }
  }
  return out;
}

/** Marks notices as announced (a breach also settles its warning, which is then never sent). */
export function recordNotices(s: SlaState, notices: Notice[]): SlaState {
  const fired = new Set(s.fired);
  const targets = { ...s.targets };
  for (const n of notices) {
    fired.add(n.key);
    if (n.kind === 'breach') {
      fired.add(n.key.replace(/:breach$/, ':warning'));
      const t = targets[n.target];
      if (t) targets[n.target] = { ...t, breachedAt: t.breachedAt ?? t.dueAt };
    }
  }
  return { ...s, targets, fired: [...fired] };
}

/** When the scheduler should look at this ticket next (null: nothing pending). */
export function nextCheckAt(s: SlaState | null): number | null {
  if (!s) return null;
  const fired = new Set(s.fired);
  let next: number | null = null;
  const consider = (t: number | null) => {
    if (t !== null && (next === null || t < next)) next = t;
  };
  for (const target of TARGET_KEYS) {
    const t = s.targets[target];
    if (!t || t.metAt !== null || t.dueAt === null) continue;
    const base = baseKey(target, t);
    if (fired.has(`${base}:breach`)) continue;
    consider(t.dueAt);
    if (!fired.has(`${base}:warning`)) consider(t.warnAt);
  }
  return next;
}

/**
 * Every next-response cycle of the clock at `now`: answered in time, breached (answered late, or
 * overdue now) and still running.
 */
export function nextResponseCycles(s: SlaState | null, now: number): { met: number; breached: number; pending: number } {
  const out = { met: s?.nextTally?.met ?? 0, breached: s?.nextTally?.late ?? 0, pending: 0 };
  const present = describeTargets(s, now).find((v) => v.target === 'nextResponse');
  if (present?.state === 'met') out.met++;
  else if (present?.state === 'met_late' || present?.state === 'breached') out.breached++;
  else if (present) out.pending++;
  return out;
}

/**
 * Whether the ticket missed a target of its contract, as the SLA report judges targets: a first
 * response or resolution met late or breached now (`describeTargets`), or any next-response cycle
 * answered late or overdue. A breach announced against a target that was later relaxed (a lower
 * priority), or met at its very due instant, is judged by the target as it stands.
 */
export function missedContractTarget(s: SlaState | null, now: number): boolean {
  if (!s) return false;
  if (nextResponseCycles(s, now).breached > 0) return true;
  return describeTargets(s, now).some((v) => (v.target === 'firstResponse' || v.target === 'resolution') && (v.state === 'met_late' || v.state === 'breached'));
}

/** A target of `SlaMeasures` met in time. */
export const MEASURE_MET = -1;
/** A target of `SlaMeasures` breached already (answered late, or ran out before its clock stopped). */
export const MEASURE_BREACHED = 0;
/** A target of `SlaMeasures` paused with time left: it cannot run out until its clock runs again. */
export const MEASURE_PAUSED = 9007199254740991;

/**
 * What the reports count of a clock, as plain numbers the desk stores beside it, so a year of
 * tickets is counted in SQL rather than by reading every clock. Each target is its mark: the
 * instant from which it counts as breached (`MEASURE_BREACHED` already, `MEASURE_PAUSED` not while
 * paused, else its due instant), `MEASURE_MET` when met in time, null when not tracked. Next response
 * is the open cycle's mark (null when none is open) and the cycles ended, in time and late. At `now`,
 * a mark m is met when m = -1, breached when 0 ≤ m ≤ now, and still running when m > now: the same
 * judgement as `describeTargets` and `nextResponseCycles`.
 */
export type SlaMeasures = {
  firstResponse: number | null;
  internalFirstResponse: number | null;
  resolution: number | null;
  internalResolution: number | null;
  next: number | null;
  nextMet: number;
  nextLate: number;
};

function markOf(t: TargetState | undefined): number | null {
  if (!t) return null;
  if (t.metAt !== null) return t.late ? MEASURE_BREACHED : MEASURE_MET;
  if (t.dueAt === null) return t.leftMs !== null && t.leftMs <= 0 ? MEASURE_BREACHED : MEASURE_PAUSED;
  return t.dueAt;
}

export function measuresOf(s: SlaState | null): SlaMeasures {
  const next = s?.targets.nextResponse;
  const ended = next && next.metAt !== null;
  return {
    firstResponse: markOf(s?.targets.firstResponse),
    internalFirstResponse: markOf(s?.targets.internalFirstResponse),
    resolution: markOf(s?.targets.resolution),
    internalResolution: markOf(s?.targets.internalResolution),
    next: ended ? null : markOf(next),
    nextMet: (s?.nextTally?.met ?? 0) + (ended && !next.late ? 1 : 0),
    nextLate: (s?.nextTally?.late ?? 0) + (ended && next.late ? 1 : 0),
  };
}

/** `missedContractTarget` judged from the clock's measures at `now`. */
export function missedByMeasures(m: Pick<SlaMeasures, 'firstResponse' | 'resolution' | 'next' | 'nextLate'>, now: number): boolean {
  const breached = (mark: number | null) => mark !== null && mark >= 0 && mark <= now;
  return m.nextLate > 0 || breached(m.firstResponse) || breached(m.resolution) || breached(m.next);
}

export type TargetView = {
  target: TargetKey;
  internal: boolean;
  minutes: number;
  state: 'running' | 'paused' | 'met' | 'met_late' | 'breached';
  dueAt: number | null;
  metAt: number | null;
  /** wall-clock time to the due instant (negative: overdue); business time left while paused */
  leftMs: number | null;
  warned: boolean;
};

/** What the ticket page shows for each target. */
export function describeTargets(s: SlaState | null, now: number): TargetView[] {
  if (!s) return [];
  const fired = new Set(s.fired);
  const out: TargetView[] = [];
  for (const target of TARGET_KEYS) {
    const t = s.targets[target];
    if (!t) continue;
    const base = baseKey(target, t);
    let state: TargetView['state'];
    if (t.metAt !== null) state = t.late ? 'met_late' : 'met';
    else if (t.dueAt === null) state = t.leftMs !== null && t.leftMs <= 0 ? 'breached' : 'paused';
    else state = t.dueAt <= now ? 'breached' : 'running';
    out.push({
      target,
      internal: INTERNAL_TARGETS.includes(target),
      minutes: t.minutes,
      state,
      dueAt: t.dueAt,
      metAt: t.metAt,
      leftMs: state === 'paused' ? t.leftMs : t.dueAt !== null && t.metAt === null ? t.dueAt - now : null,
      warned: fired.has(`${base}:warning`) || fired.has(`${base}:breach`),
    });
  }
  return out;
}
