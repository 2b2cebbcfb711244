import { describe, expect, it } from 'vitest';
import { pickAssignee, pickLeastLoaded, pickRoundRobin, type AgentLoad } from './assignment.ts';

const agent = (userId: number, openMinutes: number, extra: Partial<AgentLoad> = {}): AgentLoad => ({
  userId, available: true, active: true, openTickets: Math.ceil(openMinutes / 60), openMinutes, ...extra,
});

describe('assignment', () => {
  it('picks the agent with the least open work, weighted by estimate, skipping the away and inactive', () => {
    const loads = [agent(1, 300), agent(2, 120, { available: false }), agent(3, 180), agent(4, 30, { active: false })];
    expect(pickLeastLoaded(loads)).toBe(3);
  });

  it('breaks ties by fewer tickets, then by the lower id', () => {
    expect(pickLeastLoaded([agent(5, 120, { openTickets: 3 }), agent(6, 120, { openTickets: 1 })])).toBe(6);
    expect(pickLeastLoaded([agent(9, 0), agent(7, 0)])).toBe(7);
  });

  it('returns null when nobody is available', () => {
    expect(pickLeastLoaded([agent(1, 0, { available: false })])).toBeNull();
    expect(pickLeastLoaded([])).toBeNull();
  });

  it('round robin takes the next available agent after the last one, wrapping around', () => {
    const loads = [agent(3, 0), agent(1, 0), agent(7, 0, { available: false }), agent(9, 0)];
    expect(pickRoundRobin(loads, null)).toBe(1);
    expect(pickRoundRobin(loads, 1)).toBe(3);
    expect(pickRoundRobin(loads, 3)).toBe(9); // 7 is away
    expect(pickRoundRobin(loads, 9)).toBe(1);
    expect(pickRoundRobin(loads, 4)).toBe(9); // the last one left the component
  });

  it('pickAssignee follows the component mode', () => {
    const loads = [agent(1, 500), agent(2, 10)];
    expect(pickAssignee('off', loads, null)).toBeNull();
    expect(pickAssignee('least_loaded', loads, null)).toBe(2);
    expect(pickAssignee('round_robin', loads, 1)).toBe(2);
  });
});
