// My notifications: each staff member chooses which notices they get by mail.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { updateNotificationPrefs } from '../../actions/notification-prefs.ts';
import { noticeChoices, noticeKindsFor } from '../../outbox/notify-prefs.ts';
import type { WebRouter } from '../app.ts';
import { currentUser } from '../context.ts';
import { redirectWithFlash } from '../render.ts';

export function notificationPrefsRouter(ctx: Ctx): WebRouter {
  return {
    auth: 'user',
    build({ render }) {
      const r = Router();
      r.get('/me/notifications', (req, res) => {
        const me = currentUser(res);
        const choices = noticeChoices(me.notifyPrefs);
        render(req, res, 'notification-prefs', {
          title: 'Notifications',
          email: me.email,
          kinds: noticeKindsFor(me.role).map((id) => ({ id, on: choices[id] })),
          smtpConfigured: !!ctx.config.smtp,
        });
      });
      r.post('/me/notifications', async (req, res) => {
        await updateNotificationPrefs(ctx, { kind: 'user', user: currentUser(res) }, req.body as Record<string, unknown>);
        redirectWithFlash(res, '/me/notifications', 'outbox.prefs.saved');
      });
      return r;
    },
  };
}
