// "X is replying" across desk processes: two processes (two handles on one database, each with its
// own presence) see each other on a ticket, for half a minute after the last refresh.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { closeDb, type Db } from '../db/client.ts';
import { openDatabase } from '../db/open.ts';
import { insertTicket } from '../store/tickets.ts';
import { insertUser } from '../store/users.ts';
import { createPresence, PRESENCE_TTL_MS } from './presence.ts';

describe('presence', () => {
  let deps: TestDeps;
  let other: Db;
  beforeEach(async () => {
    deps = await makeTestDeps({}, { file: true });
    other = await openDatabase(deps.config.database);
  });
  afterEach(async () => {
    await closeDb(other);
    deps.close();
  });

  it('shows who is on a ticket to people served by another process, replying first, until they leave or go quiet', async () => {
    const now = deps.clock.now();
    const t = await insertTicket(deps.db, { subject: 'VPN', channel: 'email' }, now);
    const [anna, boris, vera] = await Promise.all(['Anna', 'Boris', 'Vera'].map((name, i) => insertUser(deps.db, { email: `${name.toLowerCase()}@desk.test`, name, role: 'agent', passwordHash: 'x' }, now + i)));
    const here = createPresence(deps.db);
    const there = createPresence(other);
    await here.touch(t.id, anna, 'viewing', now);
    await there.touch(t.id, boris, 'replying', now);
    await there.touch(t.id, vera, 'viewing', now);
    expect(await here.others(t.id, anna.id, now + 1000)).toEqual([
      { userId: boris.id, name: 'Boris', mode: 'replying' },
      { userId: vera.id, name: 'Vera', mode: 'viewing' },
    ]);
    expect((await there.others(t.id, boris.id, now + 1000)).map((p) => p.name)).toEqual(['Anna', 'Vera']);
    await there.leave(t.id, boris.id);
    expect((await here.others(t.id, anna.id, now + 1000)).map((p) => p.name)).toEqual(['Vera']);
    // Vera's page stopped polling: gone after the time to live
    await there.touch(t.id, boris, 'viewing', now + PRESENCE_TTL_MS);
    expect((await here.others(t.id, anna.id, now + PRESENCE_TTL_MS + 1)).map((p) => p.name)).toEqual(['Boris']);
  });
});
