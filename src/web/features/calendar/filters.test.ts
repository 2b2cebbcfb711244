import { describe, expect, it } from 'vitest';
import { calendarAssignee, calendarFilterOf, calendarFilterParams, calendarFilters } from './filters.ts';

const ME = 7;

describe('the calendar filters', () => {
  it('read the form (repeated kinds) and the API (kinds separated by commas) alike', () => {
    expect(calendarFilters.parse({ kind: ['due', 'sla'] }).kind).toEqual(['due', 'sla']);
    expect(calendarFilters.parse({ kind: 'sla,due' }).kind).toEqual(['due', 'sla']);
    // every kind, or none that the calendar knows, is no narrowing
    expect(calendarFilters.parse({ kind: ['due', 'planned', 'sla'] }).kind).toBeUndefined();
    expect(calendarFilters.parse({ kind: 'overdue' }).kind).toBeUndefined();
    expect(calendarFilters.parse({}).kind).toBeUndefined();
  });

  it('drop what does not parse, so a hand-edited link still shows a calendar', () => {
    expect(calendarFilters.parse({ type: 'rumour', priority: 'someday', org: 'x', component: '-1', agent: 'nobody' })).toEqual({});
    expect(calendarFilters.parse({ type: 'problem', priority: 'high', org: '3', component: '', agent: '12' })).toEqual({ type: 'problem', priority: 'high', org: 3, agent: '12' });
  });

  it('show your own work by default, everyone’s on "all", and a component’s whoever works on it', () => {
    expect(calendarAssignee(calendarFilters.parse({}), ME)).toBe(ME);
    expect(calendarAssignee(calendarFilters.parse({ agent: 'me' }), ME)).toBe(ME);
    expect(calendarAssignee(calendarFilters.parse({ agent: '12' }), ME)).toBe(12);
    expect(calendarAssignee(calendarFilters.parse({ agent: 'all' }), ME)).toBeUndefined();
    expect(calendarAssignee(calendarFilters.parse({ agent: '12', component: '4' }), ME)).toBeUndefined();
  });

  it('become the store’s filter and the query the page’s links keep', () => {
    const f = calendarFilters.parse({ type: 'incident', priority: 'low', org: '2', kind: ['planned', 'due'] });
    expect(calendarFilterOf(f, ME, 100, 200)).toEqual({ from: 100, to: 200, assigneeId: ME, componentId: undefined, organizationId: 2, type: 'incident', priority: 'low', families: ['due', 'planned'] });
    expect(new URLSearchParams(calendarFilterParams(f, ME)).toString()).toBe('agent=7&type=incident&priority=low&org=2&kind=due&kind=planned');
    expect(new URLSearchParams(calendarFilterParams(calendarFilters.parse({ component: '4', agent: '12' }), ME)).toString()).toBe('component=4');
    expect(new URLSearchParams(calendarFilterParams(calendarFilters.parse({ agent: 'all' }), ME)).toString()).toBe('agent=all');
  });
});
