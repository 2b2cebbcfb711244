// Wires the use cases from deps: the action context with its hooks, the intake service and the
// web extensions. main.ts, the CLI and the tests build the same services, so what is tested is
// what runs.
import type { Deps } from './deps.ts';
import { emptyHooks, type Ctx } from './actions/context.ts';
import { registerAutoAssign } from './actions/assignment.ts';
import { parseEmail } from './channels/email/parse-email.ts';
import { createIntake, type Intake } from './intake/receive.ts';
import type { WebOptions } from './web/app.ts';
import { apiRouter } from './web/api/router.ts';
import { CONSOLE_NAV } from './web/routes/nav.ts';

export type Services = {
  ctx: Ctx;
  intake: Intake;
  web: WebOptions;
};

export function buildServices(deps: Deps): Services {
  const hooks = emptyHooks();
  const ctx: Ctx = { ...deps, hooks };
  const intake = createIntake(deps, { parsers: { email: parseEmail }, hooks: hooks.inboundApplied });
  // console: automatic assignment of new tickets per component (web, API, mail, SMS)
  registerAutoAssign(hooks, ctx);
  return { ctx, intake, web: { routers: [apiRouter(ctx)], nav: [...CONSOLE_NAV] } };
}
