import { describe, expect, it } from 'vitest';
import {
  allowedTargets, checkTransition, defaultRules, missingFields, normalizeRules, RECOMMENDED_REQUIREMENTS, refusalMessage,
  type TicketFacts, type WorkflowRole, type WorkflowRules,
} from './transitions.ts';
import type { TicketStatus } from './vocabulary.ts';

const bare: TicketFacts = { componentId: null, priority: 'normal', category: null, estimateMinutes: null, assigneeId: null, resolutionNote: null, loggedMinutes: 0 };
const ready: TicketFacts = { componentId: 3, priority: 'high', category: 'fault', estimateMinutes: 90, assigneeId: 7, resolutionNote: 'Replaced the toner', loggedMinutes: 45 };
const itil: WorkflowRules = { ...defaultRules(), incident: { requirements: RECOMMENDED_REQUIREMENTS, autoCloseDays: 5 } };

describe('workflow: who may move a ticket where', () => {
  it.each<[TicketStatus, TicketStatus, WorkflowRole, true | 'role' | 'not_allowed']>([
    ['new', 'triaged', 'agent', true],
    ['new', 'assigned', 'agent', true],
    ['new', 'assigned', 'system', true], // auto-assignment
    ['new', 'triaged', 'system', true], // automation may triage
    ['closed', 'in_progress', 'system', 'not_allowed'], // but only along the graph
    ['new', 'assigned', 'requester', 'role'],
    ['assigned', 'in_progress', 'agent', true],
    ['in_progress', 'pending_requester', 'agent', true],
    ['pending_requester', 'in_progress', 'system', true], // the requester answered
    ['pending_requester', 'in_progress', 'requester', 'role'],
    ['in_progress', 'pending_third_party', 'agent', true],
    ['in_progress', 'resolved', 'agent', true],
    ['in_progress', 'resolved', 'requester', 'role'],
    ['in_progress', 'closed', 'agent', 'role'], // only leads close without a resolution
    ['in_progress', 'closed', 'manager', true],
    ['resolved', 'closed', 'agent', 'role'],
    ['resolved', 'closed', 'requester', true], // confirms the resolution
    ['resolved', 'closed', 'system', true], // auto-close
    ['resolved', 'in_progress', 'manager', true], // rejects the resolution
    ['resolved', 'in_progress', 'agent', 'role'],
    ['resolved', 'reopened', 'requester', true],
    ['resolved', 'reopened', 'agent', true],
    ['closed', 'reopened', 'agent', 'role'],
    ['closed', 'reopened', 'manager', true],
    ['closed', 'in_progress', 'admin', 'not_allowed'],
    ['new', 'reopened', 'admin', 'not_allowed'],
    ['resolved', 'pending_requester', 'manager', 'not_allowed'],
  ])('%s → %s by %s: %s', (from, to, role, expected) => {
    const v = checkTransition({ from, to, role, type: 'incident', facts: ready, rules: defaultRules() });
    if (expected === true) expect(v).toEqual({ ok: true });
    else expect(v).toMatchObject({ ok: false, reason: expected });
  });

  it('lists where a role can go from a status', () => {
    expect(allowedTargets('resolved', 'agent')).toEqual(['reopened']);
    expect(allowedTargets('resolved', 'manager')).toEqual(['in_progress', 'closed', 'reopened']);
    expect(allowedTargets('closed', 'agent')).toEqual([]);
  });
});

describe('workflow: fields required to enter a stage', () => {
  it.each<[string, TicketStatus, TicketStatus, Partial<TicketFacts>, string[]]>([
    ['nothing is demanded to triage', 'new', 'triaged', {}, []],
    ['component and estimate to assign (priority has a default)', 'triaged', 'assigned', {}, ['component', 'estimate']],
    ['skipping triage still needs them', 'new', 'in_progress', {}, ['component', 'estimate']],
    ['a note and logged time to resolve', 'in_progress', 'resolved', { componentId: 1, estimateMinutes: 30 }, ['resolution_note', 'logged_time']],
    ['resolving straight from new needs everything', 'new', 'resolved', {}, ['component', 'estimate', 'resolution_note', 'logged_time']],
    ['a blank note does not count', 'in_progress', 'resolved', { resolutionNote: '   ', loggedMinutes: 10 }, ['resolution_note']],
    ['pausing needs nothing new', 'in_progress', 'pending_requester', {}, []],
    ['closing and reopening need nothing', 'resolved', 'closed', {}, []],
    ['reopening needs nothing', 'closed', 'reopened', {}, []],
    ['rejecting a resolution needs nothing', 'resolved', 'in_progress', {}, []],
  ])('%s', (_name, from, to, facts, missing) => {
    expect(missingFields(itil, 'incident', from, to, { ...bare, ...facts })).toEqual(missing);
  });

  it('rules are per ticket type', () => {
    expect(missingFields(itil, 'service_request', 'new', 'resolved', bare)).toEqual([]);
  });

  it('refuses with a message naming exactly what is missing', () => {
    const v = checkTransition({ from: 'in_progress', to: 'resolved', role: 'agent', type: 'incident', facts: { ...ready, resolutionNote: null, loggedMinutes: 0 }, rules: itil });
    expect(v).toEqual({ ok: false, reason: 'missing', allowedRoles: ['admin', 'manager', 'agent', 'system'], missing: ['resolution_note', 'logged_time'] });
    if (v.ok) throw new Error('unreachable');
    expect(refusalMessage(v, 'in_progress', 'resolved', 'agent')).toBe('To move the ticket from In progress to Resolved, fill in: resolution note, logged time');
    const role = checkTransition({ from: 'resolved', to: 'closed', role: 'agent', type: 'incident', facts: ready, rules: itil });
    if (role.ok) throw new Error('unreachable');
    expect(refusalMessage(role, 'resolved', 'closed', 'agent')).toBe('An agent may not move a ticket from Resolved to Closed (allowed: an admin, a manager, the requester)');
  });

  it('the desk itself is not held to fields it cannot fill', () => {
    expect(checkTransition({ from: 'new', to: 'assigned', role: 'system', type: 'incident', facts: bare, rules: itil })).toEqual({ ok: true });
  });

  it('normalises stored rules, dropping what it does not know', () => {
    const r = normalizeRules({ incident: { requirements: { resolved: ['logged_time', 'bogus', 'logged_time'], new: ['component'] }, autoCloseDays: null }, problem: { autoCloseDays: 3 } });
    expect(r.incident).toEqual({ requirements: { resolved: ['logged_time'] }, autoCloseDays: null });
    expect(r.problem).toEqual({ requirements: {}, autoCloseDays: 3 });
    expect(r.project).toEqual({ requirements: {}, autoCloseDays: 7 });
    expect(normalizeRules('garbage')).toEqual(defaultRules());
  });
});
