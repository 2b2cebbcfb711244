// Picks the component a new ticket goes to: the mailbox's component.
import { eq } from 'drizzle-orm';
import { mailboxes } from '../../db/schema.ts';
import type { Step } from '../types.ts';

export const route: Step = {
  name: 'route',
  run(draft, { db }) {
    if (draft.match || draft.route.componentId) return;
    if (draft.msg.mailboxId === null) return;
    const mb = db.select({ componentId: mailboxes.componentId }).from(mailboxes).where(eq(mailboxes.id, draft.msg.mailboxId)).get();
    if (mb?.componentId) draft.route = { componentId: mb.componentId, reason: 'mailbox' };
  },
};
