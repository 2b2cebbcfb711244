// A separate process running scheduler passes against a database (DATABASE_URL) at a fixed time (WF_NOW),
// so tests can run several schedulers at once.
import { loadConfig } from '../../src/config.ts';
import { openDeps } from '../../src/bootstrap.ts';
import { closeDb } from '../../src/db/client.ts';
import { buildServices } from '../../src/services.ts';
import { schedulerTick } from '../../src/roles/scheduler.ts';

const config = loadConfig(process.env);
const deps = { ...await openDeps(config), clock: { now: () => Number(process.env.WF_NOW) } };
const { ctx } = buildServices(deps);
let notices = 0;
for (let i = 0; i < Number(process.env.WF_TICKS ?? 3); i++) notices += (await schedulerTick(ctx)).notices;
await closeDb(deps.db);
process.stdout.write(`${notices}\n`);
