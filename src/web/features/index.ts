// The console's feature areas (web/features/<area>/): their routers (the portal is public, the
// rest needs sign-in) and their navigation links, plugged in by src/services.ts. The reports come
// from their registry (src/reports/index.ts), passed in so a desk (or a test) may offer others.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import type { Report } from '../../reports/report.ts';
import type { WebOptions, WebRouter } from '../app.ts';
import type { NavLink } from '../render.ts';
import { calendarRoutes } from './sla/calendar-routes.ts';
import { calendarRouters } from './calendar/routes.ts';
import { contractRoutes } from './contracts/routes.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { policyRoutes } from './sla/policy-routes.ts';
import { portalRoutes } from './portal/routes.ts';
import { requesterRoutes } from './portal/requester-routes.ts';
import { reportNav } from './reports/nav.ts';
import { reportRoutes } from './reports/routes.ts';
import { reportViews } from './reports/views.ts';
import { rulesRoutes } from './sla/stage-rules-routes.ts';
import { ticketWorkflowRoutes } from './ticket-lifecycle/routes.ts';

export function featureRouters(ctx: Ctx, reports: readonly Report[]): WebRouter[] {
  return [
    // the signed-in portal first: /portal/:token would take its paths
    { auth: 'public', build: ({ render }) => requesterRoutes(ctx, render) },
    { auth: 'public', build: ({ render }) => portalRoutes(ctx, render) },
    ...calendarRouters(ctx),
    {
      auth: 'user',
      build: ({ render }) =>
        Router()
          .use(ticketWorkflowRoutes(ctx, render))
          .use(calendarRoutes(ctx, render))
          .use(policyRoutes(ctx, render))
          .use(rulesRoutes(ctx, render))
          .use(contractRoutes(ctx, render))
          .use(reportRoutes(ctx, render, reports))
          .use(dashboardRoutes(ctx, render, reports)),
    },
  ];
}

/** Pages and strings the features keep outside views/ and src/i18n: each report's, from its folder. */
export function featureViews(reports: readonly Report[]): Pick<WebOptions, 'pages' | 'strings'> {
  return reportViews(reports);
}

export function featureNav(reports: readonly Report[]): NavLink[] {
  return [
    { href: '/admin/sla-policies', labelKey: 'workflow.nav.policies', permission: 'sla.manage' },
    { href: '/admin/calendars', labelKey: 'workflow.nav.calendars', permission: 'sla.manage' },
    { href: '/admin/workflow', labelKey: 'workflow.nav.rules', permission: 'settings.manage' },
    ...reportNav(reports),
  ];
}
