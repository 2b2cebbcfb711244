// Step 9: the component a new ticket goes to — an address alias it was sent to (printers@,
// support+printers@), else the component of the mailbox it arrived in, else the first keyword
// rule that matches the subject or the new text. A mailbox without a component leaves it to the
// keywords.
import { listComponents, type Component } from '../../store/components.ts';
import { findMailbox } from '../../store/mailboxes.ts';
import type { Step } from '../types.ts';

function keywordHit(c: Component, haystack: string): string | undefined {
  return c.keywords.map((k) => k.trim().toLowerCase()).filter(Boolean).find((k) => {
    const escaped = k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(haystack);
  });
}

export const route: Step = {
  name: 'route',
  async run(draft, { db }) {
    if (draft.match || draft.route.componentId) return;
    const msg = draft.msg;
    const components = await listComponents(db, { activeOnly: true });
    const recipients = new Set([...msg.deliveredTo, ...msg.to.map((a) => a.address), ...msg.cc.map((a) => a.address)].map((a) => a.toLowerCase()));
    for (const c of components) {
      const alias = c.emailAliases.map((a) => a.trim().toLowerCase()).find((a) => recipients.has(a));
      if (alias) {
        draft.route = { componentId: c.id, reason: `address alias ${alias}` };
        return;
      }
    }
    const mb = msg.mailboxId !== null ? await findMailbox(db, msg.mailboxId) : undefined;
    if (mb?.componentId) {
      draft.route = { componentId: mb.componentId, reason: `mailbox ${mb.address}` };
      return;
    }
    const haystack = `${msg.subject}\n${draft.content.newText ?? draft.content.text}`.slice(0, 20_000);
    for (const c of components) {
      const k = keywordHit(c, haystack);
      if (k) {
        draft.route = { componentId: c.id, reason: `keyword "${k}"` };
        return;
      }
    }
  },
};
