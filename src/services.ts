// Wires the use cases from deps: the action context with its hooks, the intake service and the
// web extensions. main.ts, the CLI and the tests build the same services, so what is tested is
// what runs.
import type { Deps } from './deps.ts';
import { emptyHooks, type Ctx } from './actions/context.ts';
import { parseEmail } from './channels/email/parse-email.ts';
import { createIntake, type Intake } from './intake/receive.ts';
import type { WebOptions } from './web/app.ts';
import { inboundRoutes } from './web/routes/admin-inbound.ts';
import { mailboxRoutes } from './web/routes/admin-mailboxes.ts';

export type Services = {
  ctx: Ctx;
  intake: Intake;
  web: WebOptions;
};

export function buildServices(deps: Deps): Services {
  const hooks = emptyHooks();
  const ctx: Ctx = { ...deps, hooks };
  const intake = createIntake(deps, { parsers: { email: parseEmail }, hooks: hooks.inboundApplied });
  const web: WebOptions = {
    routers: [
      // email intake: quarantine console, raw downloads, mailboxes
      { auth: 'user', build: ({ render }) => inboundRoutes(ctx, intake, render) },
      { auth: 'user', build: ({ render }) => mailboxRoutes(ctx, render) },
    ],
    nav: [
      { href: '/admin/inbound', labelKey: 'intake.nav.inbound', permission: 'inbound.manage' },
      { href: '/admin/mailboxes', labelKey: 'intake.nav.mailboxes', permission: 'mailbox.manage' },
    ],
  };
  return { ctx, intake, web };
}
