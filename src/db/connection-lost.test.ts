import { describe, expect, it } from 'vitest';
import { isConnectionLost } from './connection-lost.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isConnectionLost', () => {
  it('is true for a refused or broken connection and a server shutting down, also wrapped', () => {
    expect(isConnectionLost(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isConnectionLost(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isConnectionLost(withCode('the database system is starting up', '57P03'))).toBe(true);
    expect(isConnectionLost(withCode('connection failure', '08006'))).toBe(true);
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost(new Error('Failed query: update outbox …', { cause: withCode('read ECONNRESET', 'ECONNRESET') }))).toBe(true);
  });

  it('is false for what a retry does not mend', () => {
    expect(isConnectionLost(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isConnectionLost(withCode('could not serialize access', '40001'))).toBe(false);
    expect(isConnectionLost(new Error('Outbox entry not found'))).toBe(false);
    expect(isConnectionLost(undefined)).toBe(false);
  });
});
