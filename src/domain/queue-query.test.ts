import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, hasFilters, parseQueueQuery, queueFilter, queueQueryString, SLA_RISK_MS } from './queue-query.ts';

describe('queue query', () => {
  it('reads the URL leniently: repeated and comma-separated values, unknown ones dropped', () => {
    const q = parseQueueQuery({ view: 'mine', status: ['new', 'bogus,in_progress'], priority: 'urgent', component: '3,x,4', assignee: 'none', organization: '12', q: '  vpn  ', sort: 'due' });
    expect(q).toMatchObject({ view: 'mine', status: ['new', 'in_progress'], priority: ['urgent'], component: [3, 4], assignee: 'none', organization: 12, q: 'vpn', sort: 'due' });
    expect(parseQueueQuery({ view: 'nope', sort: 'sideways' })).toMatchObject({ view: 'open', sort: 'updated' });
  });

  it('allows every sort in every view, drops an unknown one, and sorts the SLA view by due time', () => {
    expect(parseQueueQuery({ view: 'all', sort: 'priority' }).sort).toBe('priority');
    expect(parseQueueQuery({ view: 'resolved', sort: 'due' }).sort).toBe('due');
    expect(parseQueueQuery({ view: 'all', sort: 'loudest' }).sort).toBe('updated');
    expect(parseQueueQuery({ view: 'sla' }).sort).toBe('due');
  });

  it('writes a canonical query string that reads back the same', () => {
    const q = parseQueueQuery({ view: 'open', status: 'new', component: ['2', '1'], assignee: 'me', q: 'принтер', sort: 'priority' });
    const s = queueQueryString(q);
    expect(s).toBe('view=open&status=new&component=2%2C1&assignee=me&q=%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80&sort=priority');
    expect(parseQueueQuery(Object.fromEntries(new URLSearchParams(s)))).toEqual(q);
  });

  it('resolves views for a user and time, and lets the filter bar narrow them', () => {
    const who = { userId: 7, componentIds: [1, 2], now: 1_000_000 };
    expect(queueFilter(parseQueueQuery({ view: 'mine' }), who)).toEqual({ open: true, assigneeId: 7 });
    expect(queueFilter(parseQueueQuery({ view: 'unassigned' }), who)).toEqual({ open: true, assigneeId: null });
    expect(queueFilter(parseQueueQuery({ view: 'components', component: '2,5' }), who)).toEqual({ open: true, componentIds: [2] });
    expect(queueFilter(parseQueueQuery({ view: 'sla' }), who)).toEqual({ open: true, slaDueBefore: 1_000_000 + SLA_RISK_MS });
    expect(queueFilter(parseQueueQuery({ view: 'pending', status: 'new' }), who).statuses).toEqual(['__none__']);
    expect(queueFilter(parseQueueQuery({ view: 'all', assignee: 'me', q: 'x' }), who)).toEqual({ assigneeId: 7, text: 'x' });
    expect(queueFilter(parseQueueQuery({ view: 'mine', assignee: 'none' }), who).assigneeId).toBe(-1);
  });

  it('reads "none" as the tickets without an organisation or component, and writes it back', () => {
    const who = { userId: 7, componentIds: [1, 2], now: 1_000_000 };
    const q = parseQueueQuery({ view: 'all', organization: 'none', component: 'none,3,bogus' });
    expect(q).toMatchObject({ organization: 'none', component: [3, 'none'] });
    expect(queueQueryString(q)).toBe('view=all&component=3%2Cnone&organization=none');
    expect(hasFilters(parseQueueQuery({ component: 'none' }))).toBe(true);
    expect(queueFilter(q, who)).toEqual({ componentIds: [3, null], organizationId: null });
    // the tickets without a component are in none of the user's components
    expect(queueFilter(parseQueueQuery({ view: 'components', component: 'none' }), who).componentIds).toEqual([]);
  });

  it('reads the SLA targets still running', () => {
    const q = parseQueueQuery({ view: 'all', running: 'resInternal,fr', breached: 'bogus' });
    expect(q).toMatchObject({ running: 'resInternal', breached: null });
    expect(queueQueryString(q)).toBe('view=all&running=resInternal');
    expect(queueFilter(q, { userId: 7, componentIds: [], now: 5000 })).toEqual({ sla: { running: 'resInternal', at: 5000 } });
  });

  it('reads, writes back and resolves the SLA outcome and the ticket flags of a report’s drill-down', () => {
    const q = parseQueueQuery({ view: 'all', met: ['frInternal', 'res'], breached: 'bogus,resInternal', flag: ['answered,nope', 'slaMissed', 'waitedOnClient', 'answered'] });
    expect(q).toMatchObject({ met: 'frInternal', breached: 'resInternal', flags: ['answered', 'slaMissed', 'waitedOnClient'] });
    const s = queueQueryString(q);
    expect(s).toBe('view=all&met=frInternal&breached=resInternal&flag=answered%2CslaMissed%2CwaitedOnClient');
    expect(parseQueueQuery(Object.fromEntries(new URLSearchParams(s)))).toEqual(q);
    expect(queueFilter(q, { userId: 7, componentIds: [], now: 5000 })).toEqual({
      sla: { met: 'frInternal', breached: 'resInternal', at: 5000 }, flags: { names: ['answered', 'slaMissed', 'waitedOnClient'], at: 5000 },
    });
    for (const flag of ['finished', 'reopened', 'billable']) expect(queueQueryString(parseQueueQuery({ view: 'all', flag }))).toBe(`view=all&flag=${flag}`);
    // the time of any active staff member (the workload report's total)
    const staff = parseQueueQuery({ view: 'all', worked: '10-20', worked_by: 'staff', flag: 'assignedToStaff' });
    expect(queueQueryString(staff)).toBe('view=all&worked=10-20&worked_by=staff&flag=assignedToStaff');
    expect(parseQueueQuery(Object.fromEntries(new URLSearchParams(queueQueryString(staff))))).toEqual(staff);
    expect(queueFilter(staff, { userId: 7, componentIds: [], now: 5000 })).toMatchObject({ work: { in: { from: 10, to: 20 }, by: 'staff' }, flags: { names: ['assignedToStaff'] } });
    expect(parseQueueQuery({ worked_by: 'everyone' }).workedBy).toBeNull();
    // a status at an instant (the status report's history)
    const was = parseQueueQuery({ view: 'all', status_at: ['pending_requester.1762290000000', 'new.1'] });
    expect(was.statusAt).toEqual({ status: 'pending_requester', at: 1762290000000 });
    expect(queueQueryString(was)).toBe('view=all&status_at=pending_requester.1762290000000');
    expect(parseQueueQuery(Object.fromEntries(new URLSearchParams(queueQueryString(was))))).toEqual(was);
    expect(queueFilter(was, { userId: 7, componentIds: [], now: 5000 })).toEqual({ statusAt: { status: 'pending_requester', at: 1762290000000 } });
    for (const bad of ['asleep.5', 'new', 'new.', 'new.x', '.5']) expect(parseQueueQuery({ status_at: bad }).statusAt, bad).toBeNull();
    // anything else is no filter: an old or hand-edited link still opens the queue
    const none = parseQueueQuery({ view: 'all', met: 'late', breached: '', flag: 'yes,' });
    expect(none).toMatchObject({ met: null, breached: null, flags: [] });
    expect(queueQueryString(none)).toBe('view=all');
    expect(queueFilter(none, { userId: 7, componentIds: [], now: 5000 })).toEqual({});
  });

  it('round-trips cursors and refuses forged or foreign ones', () => {
    const c = { sort: 'updated' as const, value: 1_700_000_000_000, id: 42 };
    expect(decodeCursor(encodeCursor(c), 'updated')).toEqual(c);
    expect(decodeCursor(encodeCursor(c), 'due')).toBeNull();
    expect(decodeCursor('not-base64-json', 'updated')).toBeNull();
    expect(decodeCursor(Buffer.from('["updated","1; drop",3]').toString('base64url'), 'updated')).toBeNull();
  });
});
