#!/usr/bin/env node
// Composition root: config → db → migrate → services → roles (web, intake, outbox, scheduler).
import { configOrExit, loadDotEnv, openDeps } from './bootstrap.ts';
import { databaseLabel, type RoleName } from './config.ts';
import { buildServices, type Services } from './services.ts';
import { ensureAdminFromEnv } from './actions/bootstrap-admin.ts';
import { startWeb } from './roles/web.ts';
import { closeDb } from './db/client.ts';
import { watchDeliverySettings } from './outbox/delivery-settings.ts';
import { startOutbox } from './roles/outbox.ts';
import { startScheduler } from './roles/scheduler.ts';
import { startIntake } from './roles/intake.ts';
import type { RunningRole } from './roles/role.ts';

const STARTERS: Partial<Record<RoleName, (s: Services) => Promise<RunningRole | null>>> = {
  web: startWeb,
  outbox: startOutbox,
  scheduler: startScheduler,
  intake: (s) => startIntake(s),
};

async function main(): Promise<void> {
  loadDotEnv();
  const config = configOrExit();
  const deps = await openDeps(config);
  const services = buildServices(deps);
  await ensureAdminFromEnv(services.ctx);
  // what an admin saves as outgoing mail and SMS settings reaches this process at once
  const stopDeliveryWatch = await watchDeliverySettings(deps);

  const running: RunningRole[] = [];
  for (const name of config.roles) {
    const start = STARTERS[name];
    if (!start) continue;
    const role = await start(services);
    if (role) running.push(role);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ signal }, 'stopping');
    const timer = setTimeout(() => {
      deps.log.error('roles did not stop within 15 s; exiting');
      process.exit(1);
    }, 15_000);
    for (const role of running.reverse()) {
      await role.stop().catch((err: unknown) => deps.log.error({ err, role: role.name }, 'role failed to stop'));
    }
    clearTimeout(timer);
    await stopDeliveryWatch().catch(() => {});
    await closeDb(deps.db);
    process.exit(0);
  };
  // listening before the start is announced: a supervisor may signal the moment it reads that line
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  deps.log.info({ roles: running.map((r) => r.name), database: databaseLabel(config.database) }, 'help desk started');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
