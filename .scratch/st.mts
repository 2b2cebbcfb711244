import { openDatabase } from '/work/main/src/db/open.ts';
import { countStatusesAt } from '/work/main/src/store/report-status.ts';
import { countStatusesFromCounts, statusCountsReady } from '/work/main/src/store/status-counts.ts';
import { countTicketsBy, countTicketsPerSpan } from '/work/main/src/store/report-counts.ts';
const db = await openDatabase({ engine: 'sqlite', file: '/work/main/bench/.data/console-1000000/desk.sqlite' } as never);
console.log('ready', await statusCountsReady(db));
console.log(await db.all('select * from status_count_state'));
console.log(await db.all("select grain, count(*) n from status_counts group by grain"));
const now = Date.now();
const inst = Array.from({ length: 13 }, (_, i) => Math.floor((now - (12 - i) * 30 * 86400000) / 900000) * 900000);
for (let k = 0; k < 3; k++) {
  let t = performance.now(); await countStatusesAt(db, inst, {}); console.log('history', performance.now() - t);
  t = performance.now(); await countTicketsBy(db, 'status', {}); console.log('now', performance.now() - t);
  t = performance.now(); await countTicketsPerSpan(db, 'created', [{ from: 0, to: now }], { open: true }); console.log('age', performance.now() - t);
}
import { countStatusesFromCounts } from '/work/main/src/store/status-counts.ts';
import { listOrganizationOptions } from '/work/main/src/store/organization-names.ts';
import { listUserOptions } from '/work/main/src/store/users.ts';
import { bucketsOf, periodOf } from '/work/main/src/domain/report-period.ts';
const period = periodOf({ from: '2025-12-06', group: 'month' }, Date.now(), 'UTC', 30);
const b = bucketsOf(period, 'UTC').map((x) => x.to);
console.log(b.length);
for (let k = 0; k < 2; k++) {
  let t = performance.now(); await countStatusesFromCounts(db, {}, b); console.log('fromCounts', performance.now() - t);
  t = performance.now(); await listOrganizationOptions(db); console.log('orgs', performance.now() - t);
  t = performance.now(); await listUserOptions(db); console.log('users', performance.now() - t);
}
