// The contracts report's filters: a month and an organisation from the query string; a value that
// does not parse is left out (the page then shows the current month, or every organisation).
import { describe, expect, it } from 'vitest';
import { contractsReport } from './report.ts';

const parse = (query: Record<string, unknown>) => contractsReport.filters.parse(query);

describe('contracts report filters', () => {
  it('reads a month and an organisation', () => {
    expect(parse({ month: '2026-11', org: '7' })).toEqual({ month: '2026-11', org: 7 });
    expect(parse({})).toEqual({ month: undefined, org: undefined });
  });

  it('leaves out what does not parse, instead of refusing the page', () => {
    expect(parse({ month: '2026-13', org: 'x' })).toEqual({ month: undefined, org: undefined });
    expect(parse({ month: ['2026-11', '2026-12'], org: ['1', '2'] })).toEqual({ month: undefined, org: undefined });
    expect(parse({ month: '2026-1', org: '-1' })).toEqual({ month: undefined, org: undefined });
  });
});
