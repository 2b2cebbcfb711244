// The console's signed-in routers, in the order they are mounted.
import type { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import type { Renderer } from '../render.ts';
import { cannedRoutes } from './canned.ts';
import { componentRoutes } from './components.ts';
import { contactRoutes } from './contacts.ts';
import { kbRoutes } from './kb.ts';
import { gettingStartedRoutes } from './getting-started.ts';
import { organizationRoutes } from './organizations.ts';
import { profileRoutes } from './profile.ts';
import { queueExportRoutes } from './queue-export.ts';
import { queueRoutes } from './queue.ts';
import { searchRoutes } from './search.ts';
import { signInLockRoutes } from './sign-in-locks.ts';
import { staffRoutes } from './staff.ts';
import { ticketPageRoutes } from './ticket-page.ts';

export function consoleRouters(ctx: Ctx, render: Renderer): Router[] {
  return [
    queueRoutes(ctx, render),
    queueExportRoutes(ctx),
    ticketPageRoutes(ctx, render),
    searchRoutes(ctx, render),
    contactRoutes(ctx, render),
    organizationRoutes(ctx, render),
    componentRoutes(ctx, render),
    staffRoutes(ctx, render),
    cannedRoutes(ctx, render),
    kbRoutes(ctx, render),
    profileRoutes(ctx, render),
    signInLockRoutes(ctx, render),
    gettingStartedRoutes(ctx, render),
  ];
}
