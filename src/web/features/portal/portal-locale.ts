// The requester portal's language: their choice on the page (?lang=, kept in a cookie), else their
// contact record's, else the browser's.
import type { Request, Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import type { Locale } from '../../../db/schema.ts';
import { findContact } from '../../../store/contacts.ts';
import { web } from '../../context.ts';
import { createTranslator, pickLocale, type Translator } from '../../i18n.ts';

const LANG_COOKIE = 'hd_lang';

export const PORTAL_LANGS = [{ id: 'en', name: 'English' }, { id: 'ru', name: 'Русский' }];

export type SettleLocale = (req: Request, res: Response, contactId: number | null) => Promise<Locale>;

export function portalLocale(ctx: Ctx): SettleLocale {
  let translator: Promise<Translator> | undefined;
  return async (req, res, contactId) => {
    const asked = req.query.lang === 'en' || req.query.lang === 'ru' ? (req.query.lang as Locale) : undefined;
    if (asked) res.cookie(LANG_COOKIE, asked, { sameSite: 'lax', httpOnly: true, path: '/', maxAge: 365 * 86_400_000 });
    const cookie = req.cookies?.[LANG_COOKIE] as string | undefined;
    const contact = contactId ? await findContact(ctx.db, contactId) : undefined;
    const locale: Locale = asked ?? (cookie === 'en' || cookie === 'ru' ? cookie : undefined) ?? contact?.locale ?? pickLocale(req.get('accept-language'), ctx.config.defaultLocale);
    const w = web(res);
    w.locale = locale;
    w.t = (await (translator ??= createTranslator())).t(locale);
    w.timeZone = ctx.config.timeZone;
    return locale;
  };
}
