// Which failures intake retries later instead of quarantining the mail: on SQLite a busy or full
// database, on PostgreSQL a lost connection, a server shutting down, a lock not granted in time,
// also when drizzle wraps the driver's error in its own.
import { describe, expect, it } from 'vitest';
import { isTemporary } from './receive.ts';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const wrapped = (cause: unknown) => new Error('Failed query: insert into "tickets" …', { cause });

describe('isTemporary', () => {
  it('retries what may pass, on both engines, wrapped or not', () => {
    for (const e of [
      coded('SQLITE_BUSY'),
      coded('SQLITE_BUSY_SNAPSHOT'),
      coded('ENOSPC'),
      coded('ECONNREFUSED'),
      coded('EAI_AGAIN'), // the database host's name not resolved, for now
      coded('08006'), // connection failure
      coded('57P01'), // admin shutdown
      coded('57P03'), // cannot connect now (starting up)
      coded('57P05'), // idle session timeout: not a lost connection, still worth a retry
      coded('53100'), // disk full
      coded('53300'), // too many connections
      coded('55P03'), // lock not available (lock_timeout)
      coded('40001'), // serialization failure, after the handle's own retries
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Client has encountered a connection error and is not queryable'),
    ]) {
      expect(isTemporary(e), String((e as { code?: string }).code ?? e.message)).toBe(true);
      expect(isTemporary(wrapped(e))).toBe(true);
      expect(isTemporary(wrapped(wrapped(e)))).toBe(true);
    }
  });

  it('does not retry what will fail again: bad data, a constraint, a bug', () => {
    for (const e of [coded('23505'), coded('22P02'), coded('42703'), coded('SQLITE_CONSTRAINT_UNIQUE'), new TypeError('x is undefined'), new Error('no parser for channel fax'), 'a string', null]) {
      expect(isTemporary(e)).toBe(false);
      expect(isTemporary(wrapped(e))).toBe(false);
    }
  });
});
