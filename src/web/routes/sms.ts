// The console's "new SMS" page: an agent texts a contact (or any number) and the conversation
// becomes an SMS ticket. GET /sms/new?contact=ID or ?phone=…, POST /sms/new.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { startSmsConversation } from '../../actions/sms.ts';
import { formatPhone, toE164 } from '../../domain/phone.ts';
import { findContact, findContactPhone, listContactPhones } from '../../store/contacts.ts';
import { AppError } from '../../domain/errors.ts';
import { currentUser } from '../context.ts';
import type { WebRouter } from '../app.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash } from '../render.ts';

type Form = { phone?: string; contactId?: string; name?: string; subject?: string; body?: string };

async function formData(ctx: Ctx, values: Form, errors: Record<string, string> = {}) {
  const contactId = values.contactId && /^\d+$/.test(values.contactId) ? Number(values.contactId) : undefined;
  const contact = contactId ? await findContact(ctx.db, contactId) : undefined;
  const phones = contact ? await listContactPhones(ctx.db, contact.id) : [];
  const e164 = values.phone ? toE164(values.phone, ctx.config.sms.defaultCountry) : undefined;
  const typed = e164 ? await findContactPhone(ctx.db, e164) : undefined;
  return {
    values: { ...values, phone: values.phone ?? phones.find((p) => !p.smsOptedOutAt)?.phone ?? '' },
    errors,
    configured: !!ctx.config.twilio,
    contact: contact && { id: contact.id, name: contact.name },
    phones: phones.map((p) => ({ number: p.phone, display: formatPhone(p.phone), optedOut: !!p.smsOptedOutAt, selected: p.phone === (values.phone ?? '') })),
    optedOutWarning: !!typed?.smsOptedOutAt,
    defaultCountry: ctx.config.sms.defaultCountry ?? null,
  };
}

export function smsConsoleRoutes(ctx: Ctx): WebRouter {
  return {
    auth: 'user',
    build({ render }) {
      const r = Router();
      r.get('/sms/new', requirePermission('ticket.create'), async (req, res) => {
        const q = req.query as Record<string, string | undefined>;
        const values: Form = { contactId: typeof q.contact === 'string' ? q.contact : undefined, phone: typeof q.phone === 'string' ? q.phone : undefined };
        if (values.contactId && !await findContact(ctx.db, Number(values.contactId) || 0)) throw new AppError('not_found', 'Contact not found');
        render(req, res, 'sms-new', await formData(ctx, values));
      });
      r.post('/sms/new', requirePermission('ticket.create'), async (req, res) => {
        const b = req.body as Form;
        try {
          const { ticket } = await startSmsConversation(ctx, { kind: 'user', user: currentUser(res) }, {
            phone: b.phone ?? '', contactId: b.contactId || undefined, name: b.name || undefined, subject: b.subject || undefined, body: b.body ?? '',
          });
          redirectWithFlash(res, `/tickets/${ticket.number}`, 'sms.new.queued');
        } catch (err) {
          if (err instanceof AppError && err.code === 'validation') {
            return render(req, res, 'sms-new', await formData(ctx, b, err.details.fields as Record<string, string>), { status: 422 });
          }
          throw err;
        }
      });
      return r;
    },
  };
}
