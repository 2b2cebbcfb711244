// Wires the use cases from deps: the action context with its hooks, the intake service and the
// web extensions. main.ts, the CLI and the tests build the same services, so what is tested is
// what runs.
import type { Deps } from './deps.ts';
import { emptyHooks, type Ctx } from './actions/context.ts';
import { parseEmail } from './channels/email/parse-email.ts';
import { createIntake, type Intake } from './intake/receive.ts';
import type { WebOptions } from './web/app.ts';
import { registerWorkflowHooks } from './workflow/hooks.ts';
import { WORKFLOW_NAV, workflowRouters } from './web/workflow/index.ts';

export type Services = {
  ctx: Ctx;
  intake: Intake;
  web: WebOptions;
};

export function buildServices(deps: Deps): Services {
  const hooks = emptyHooks();
  const ctx: Ctx = { ...deps, hooks };
  registerWorkflowHooks(hooks);
  const intake = createIntake(deps, { parsers: { email: parseEmail }, hooks: hooks.inboundApplied });
  const web: WebOptions = { routers: [...workflowRouters(ctx)], nav: [...WORKFLOW_NAV] };
  return { ctx, intake, web };
}
