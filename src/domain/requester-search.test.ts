import { describe, expect, it } from 'vitest';
import { requesterSearchFilter } from './requester-search.ts';
import { parseSearch } from './search-query.ts';

const read = (text: string, timeZone = 'UTC') => requesterSearchFilter(parseSearch(text), timeZone);

describe('the fields of a requester’s search', () => {
  it('reads status: open, closed (resolved or closed), and any status the console knows; twice allows either', () => {
    expect(read('printer status:open').filter.statuses).toEqual(['new', 'triaged', 'assigned', 'in_progress', 'pending_requester', 'pending_third_party', 'reopened']);
    expect(read('status:closed').filter.statuses).toEqual(['resolved', 'closed']);
    expect(read('status:In-Progress status:resolved').filter.statuses).toEqual(['in_progress', 'resolved']);
    expect(read('status:sleeping').problems).toEqual([{ name: 'status', value: 'sleeping' }]);
  });

  it('reads after: and before: as days in the desk’s zone, narrowing each other', () => {
    expect(read('after:2026-11-01 before:2026-12-01').filter).toEqual({ from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) });
    expect(read('after:2026-11-01', 'Europe/Moscow').filter.from).toBe(Date.UTC(2026, 9, 31, 21));
    expect(read('after:2026-11-01 after:2026-11-05').filter.from).toBe(Date.UTC(2026, 10, 5));
    expect(read('before:someday').problems).toEqual([{ name: 'before', value: 'someday' }]);
  });

  it('reports the desk’s own fields instead of ignoring them', () => {
    expect(read('vpn assignee:me org:romashka').problems).toEqual([{ name: 'assignee', value: 'me' }, { name: 'org', value: 'romashka' }]);
    expect(read('vpn')).toEqual({ filter: {}, problems: [] });
  });
});
