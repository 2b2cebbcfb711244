import { describe, expect, it } from 'vitest';
import { describeDisclosure, mergeDisclosures, type MergeSide } from './merge-disclosure.ts';

const side = (number: number, extra: Partial<MergeSide> = {}): MergeSide => ({
  number, requesterId: 1, requesterName: 'Anna Petrova', organizationId: 10, organizationName: 'Romashka', participants: [], ...extra,
});

describe('merge disclosure', () => {
  it('asks nothing when both tickets have the same requester and organisation', () => {
    expect(mergeDisclosures(side(12, { participants: ['boss@romashka.ru'] }), side(15))).toEqual([]);
  });

  it('says who joins whose conversation when the requesters differ', () => {
    const source = side(12, { requesterId: 2, requesterName: 'Ivan Petrov' });
    const d = mergeDisclosures(source, side(15));
    expect(d.map(describeDisclosure)).toEqual([
      'Ivan Petrov (requester of #12) will become a participant of #15 and will see its whole conversation',
      'Anna Petrova (requester of #15) will see the conversation of #12',
    ]);
  });

  it('names the CC\'d people who join, but not those already on the target', () => {
    const source = side(12, { requesterId: 2, requesterName: 'Ivan Petrov', participants: ['a@x.example', 'b@x.example'] });
    const d = mergeDisclosures(source, side(15, { participants: ['b@x.example'] }));
    expect(d).toContainEqual({ kind: 'participants_join', addresses: ['a@x.example'], source: 12, target: 15 });
  });

  it('asks when the organisations differ, even for the same requester', () => {
    const d = mergeDisclosures(side(12, { organizationId: 11 }), side(15));
    expect(d).toEqual([{ kind: 'organization_sees', name: 'Romashka', source: 12, target: 15 }]);
    expect(describeDisclosure(d[0])).toMatch(/people of Romashka .* conversation of #12/);
  });

  it('handles tickets without a requester or organisation', () => {
    expect(mergeDisclosures(side(12, { requesterId: null, organizationId: null }), side(15)).map((x) => x.kind)).toEqual(['requester_sees', 'organization_sees']);
    expect(mergeDisclosures(side(12), side(15, { requesterId: null, organizationId: null })).map((x) => x.kind)).toEqual(['requester_joins']);
    // the same requester into a ticket without an organisation: nobody new sees anything
    expect(mergeDisclosures(side(12), side(15, { organizationId: null }))).toEqual([]);
  });
});
