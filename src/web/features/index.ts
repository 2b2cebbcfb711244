// The console's feature areas (web/features/<area>/): their routers (the portal is public, the
// rest needs sign-in) and their navigation links, plugged in by src/services.ts.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import type { WebRouter } from '../app.ts';
import type { NavLink } from '../render.ts';
import { calendarRoutes } from './sla/calendar-routes.ts';
import { contractRoutes } from './contracts/routes.ts';
import { policyRoutes } from './sla/policy-routes.ts';
import { portalRoutes } from './portal/routes.ts';
import { rulesRoutes } from './sla/stage-rules-routes.ts';
import { ticketWorkflowRoutes } from './ticket-lifecycle/routes.ts';

export function featureRouters(ctx: Ctx): WebRouter[] {
  return [
    { auth: 'public', build: ({ render }) => portalRoutes(ctx, render) },
    {
      auth: 'user',
      build: ({ render }) =>
        Router()
          .use(ticketWorkflowRoutes(ctx, render))
          .use(calendarRoutes(ctx, render))
          .use(policyRoutes(ctx, render))
          .use(rulesRoutes(ctx, render))
          .use(contractRoutes(ctx, render)),
    },
  ];
}

export const FEATURE_NAV: NavLink[] = [
  { href: '/admin/sla-policies', labelKey: 'workflow.nav.policies', permission: 'sla.manage' },
  { href: '/admin/calendars', labelKey: 'workflow.nav.calendars', permission: 'sla.manage' },
  { href: '/admin/workflow', labelKey: 'workflow.nav.rules', permission: 'settings.manage' },
  { href: '/reports/contracts', labelKey: 'workflow.nav.contracts', permission: 'report.view' },
];
