// Mailboxes (admin): add, edit, enable or disable, test the connection; each shows its last
// successful fetch, its last error and what it brought in today.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { connectionToTest, createMailbox, editMailbox, setMailboxEnabled, type MailboxForm } from '../../actions/mailboxes.ts';
import { checkImapConnection } from '../../channels/email/imap-check.ts';
import { AppError } from '../../domain/errors.ts';
import { findMailboxPreset, MAILBOX_PRESETS, type MailboxPreset } from '../../domain/mailbox-presets.ts';
import { listComponents } from '../../store/components.ts';
import { countInboundSince } from '../../store/inbound.ts';
import { getMailbox, listMailboxes } from '../../store/mailboxes.ts';
import { currentUser, intParam } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { mailboxFormValues, mailboxRow, startOfToday } from '../view-models/intake.ts';

type Values = Record<string, unknown>;

export function mailboxRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const guard = requirePermission('mailbox.manage');

  const form = async (req: Request, res: Response, o: { id: number | null; values: Values; errors?: Record<string, string>; check?: unknown; status?: number; preset?: MailboxPreset }) => {
    const stored = o.id ? await getMailbox(ctx.db, o.id) : null;
    render(req, res, 'admin-mailbox-form', {
      title: res.locals.web.t(o.id ? 'intake.mailboxes.editTitle' : 'intake.mailboxes.newTitle'),
      id: o.id,
      fromEnv: stored?.fromEnv ?? false,
      action: o.id ? `/admin/mailboxes/${o.id}` : '/admin/mailboxes',
      testAction: o.id ? `/admin/mailboxes/${o.id}/test` : '/admin/mailboxes/test',
      values: o.values,
      errors: o.errors ?? {},
      check: o.check ?? null,
      presets: o.id ? [] : MAILBOX_PRESETS.map((p) => ({ id: p.id, label: p.label, current: p.id === o.preset?.id })),
      preset: o.preset ?? null,
      components: (await listComponents(ctx.db, { activeOnly: true })).map((c) => ({ id: c.id, name: c.name, selected: String(c.id) === String(o.values.componentId ?? '') })),
    }, { status: o.status, partial: o.check ? 'mailbox-check' : undefined });
  };
  const body = (req: Request) => req.body as MailboxForm & Values;
  // an error that names a translation (details.key) is shown in the reader's language
  const problems = (res: Response, err: AppError) => {
    const key = typeof err.details.key === 'string' ? err.details.key : null;
    const fields = { ...(err.details.fields as Record<string, string>) };
    const message = key ? res.locals.web.t(key) : err.message;
    if (key) for (const f of Object.keys(fields)) if (fields[f] === err.message) fields[f] = message;
    return { message, fields };
  };

  r.get('/admin/mailboxes', guard, async (req, res) => {
    const since = startOfToday(ctx.clock.now(), ctx.config.timeZone);
    render(req, res, 'admin-mailboxes', {
      title: res.locals.web.t('intake.mailboxes.title'),
      mailboxes: await Promise.all((await listMailboxes(ctx.db)).map(async (m) => mailboxRow(m, await countInboundSince(ctx.db, m.id, since)))),
      smtpListener: ctx.config.smtpInbound ? `${ctx.config.smtpInbound.host}:${ctx.config.smtpInbound.port}` : null,
    }, { partial: 'mailbox-list' });
  });

  // ?preset=gmail fills the server for a common mail service (domain/mailbox-presets.ts)
  r.get('/admin/mailboxes/new', guard, async (req, res) => {
    const preset = findMailboxPreset(req.query.preset);
    const values = { port: 993, secure: true, folder: 'INBOX', enabled: true, ...(preset ? { host: preset.host, port: preset.port, secure: preset.secure } : {}) };
    await form(req, res, { id: null, values, preset });
  });

  r.post('/admin/mailboxes', guard, async (req, res) => {
    try {
      await createMailbox(ctx, currentUser(res), body(req));
      redirectWithFlash(res, '/admin/mailboxes', 'intake.mailboxes.created');
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') {
        return await form(req, res, { id: null, values: { ...body(req), password: '' }, errors: problems(res, err).fields, status: 422 });
      }
      throw err;
    }
  });

  // "Test connection" from the form (unsaved values; an empty password means the stored one)
  const test = async (req: Request, res: Response, id: number | null) => {
    try {
      const settings = await connectionToTest(ctx, currentUser(res), id, body(req));
      const check = await checkImapConnection(settings);
      await form(req, res, { id, values: { ...body(req), password: '' }, check, status: check.ok ? 200 : 422 });
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') {
        const { message, fields } = problems(res, err);
        return await form(req, res, { id, values: { ...body(req), password: '' }, errors: fields, check: { ok: false, error: message }, status: 422 });
      }
      throw err;
    }
  };
  r.post('/admin/mailboxes/test', guard, (req, res) => test(req, res, null));
  r.post('/admin/mailboxes/:id/test', guard, (req, res) => test(req, res, intParam(req.params.id, 'Mailbox')));

  r.get('/admin/mailboxes/:id', guard, async (req, res) => {
    const id = intParam(req.params.id, 'Mailbox');
    await form(req, res, { id, values: mailboxFormValues(await getMailbox(ctx.db, id)) });
  });

  r.post('/admin/mailboxes/:id', guard, async (req, res) => {
    const id = intParam(req.params.id, 'Mailbox');
    try {
      await editMailbox(ctx, currentUser(res), id, body(req));
      redirectWithFlash(res, '/admin/mailboxes', 'intake.mailboxes.saved');
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') {
        return await form(req, res, { id, values: { ...body(req), password: '' }, errors: problems(res, err).fields, status: 422 });
      }
      throw err;
    }
  });

  r.post('/admin/mailboxes/:id/enabled', guard, async (req, res) => {
    const id = intParam(req.params.id, 'Mailbox');
    const enabled = (req.body as Values).enabled === '1';
    await setMailboxEnabled(ctx, currentUser(res), id, enabled);
    redirectWithFlash(res, '/admin/mailboxes', enabled ? 'intake.mailboxes.enabledNow' : 'intake.mailboxes.disabledNow');
  });

  return r;
}
