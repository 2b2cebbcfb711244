import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmailRenderer, EMAIL_TEMPLATES_DIR } from './render-email.ts';

const renderer = createEmailRenderer({ cache: true, defaultLocale: 'en', timeZone: 'Europe/Moscow' });
const base = {
  desk: { name: 'Acme IT' },
  audience: 'requester',
  recipient: { name: 'Anna' },
  ticket: { number: 7, subject: 'Printer <jammed> & stuck', tag: '[#7]', taggedSubject: 'Printer <jammed> & stuck [#7]', priority: 'high', status: 'new', url: 'https://help.example/tickets/7' },
  requester: { name: 'Anna', address: 'anna@client.example' },
  thread: { isReply: true },
};

describe('email templates', () => {
  const names = (locale: string) =>
    readdirSync(path.join(EMAIL_TEMPLATES_DIR, locale)).filter((f) => !f.startsWith('_')).map((f) => f.split('.')[0]);

  it('exist in English and Russian with subject, text and HTML for every mail', () => {
    const en = [...new Set(names('en'))].sort();
    expect(en).toEqual(expect.arrayContaining(['ack', 'reply', 'status_resolved', 'assigned', 'new_in_component', 'customer_reply', 'sla_warning', 'sla_breach']));
    expect([...new Set(names('ru'))].sort()).toEqual(en);
    for (const name of en) expect(renderer.locales(name)).toEqual(['en', 'ru']);
  });

  // mail about an account, not a ticket
  const accountMail = new Set(['staff_invite', 'password_reset']);
  // mail about the whole desk
  const deskMail = new Set(['weekly_digest']);
  // a requester's portal sign-in link
  const signInMail = new Set(['portal_sign_in']);

  it('renders every template in both languages without leftovers', () => {
    for (const name of [...new Set(names('en'))]) {
      for (const locale of ['en', 'ru'] as const) {
        const r = renderer.render(name, locale, {
          ...base, componentName: 'Printers', assignedBy: 'Boris', target: 'resolution', dueAt: Date.UTC(2026, 10, 3, 12), reopenWindowDays: 14, reopensLeft: 2,
          reply: { body: 'Hi', author: 'Boris', attachments: [] }, message: { excerpt: 'It jams' },
          passwordUrl: 'https://help.example/password/r1.abc.x', signInUrl: 'https://help.example/portal/sign-in/s1.abc', expiresAt: Date.UTC(2026, 10, 3, 13), account: { email: 'anna@desk.example', role: 'agent' }, inviterName: 'Ada',
          digest: {
            from: '2026-11-23', to: '2026-11-29', created: 41, resolved: 37, open: 12, overdue: 3, components: [{ name: 'Printers', created: 17 }], losing: ['Romashka'],
            links: { dashboard: 'https://help.example/dashboard', week: 'https://help.example/reports/created-resolved?from=2026-11-23', cost: 'https://help.example/reports/cost' },
          },
        });
        if (accountMail.has(name)) expect(r.text, `${locale}/${name}`).toContain('https://help.example/password/r1.abc.x');
        else if (signInMail.has(name)) expect(r.text, `${locale}/${name}`).toContain('https://help.example/portal/sign-in/s1.abc');
        else if (deskMail.has(name)) expect(r.text, `${locale}/${name}`).toMatch(/41[\s\S]*37[\s\S]*12[\s\S]*3[\s\S]*Printers: 17[\s\S]*Romashka[\s\S]*https:\/\/help\.example\/dashboard/);
        else expect(r.subject, `${locale}/${name}`).toContain('[#7]');
        expect(r.text).not.toMatch(/\{\{|\}\}|undefined|\[object/);
        expect(r.html).toMatch(/^<!doctype html>/);
        expect(r.html).toContain(`lang="${locale}"`);
        expect(r.locale).toBe(locale);
      }
    }
  });

  it('escapes HTML, but not the text part or the subject', () => {
    const r = renderer.render('ack', 'en', base);
    expect(r.subject).toBe('Re: Printer <jammed> & stuck [#7]');
    expect(r.text).toContain('"Printer <jammed> & stuck"');
    expect(r.html).toContain('Printer &lt;jammed&gt; &amp; stuck');
    expect(r.html).not.toContain('<jammed>');
  });

  it('writes Russian for a Russian recipient', () => {
    const r = renderer.render('ack', 'ru', base);
    expect(r.text).toContain('Здравствуйте, Anna!');
    expect(r.text).toContain('Мы получили ваше обращение');
  });

  it('quotes the previous message in the reply, in text and HTML', () => {
    const r = renderer.render('reply', 'en', {
      ...base,
      reply: { body: 'Please restart it.\n\nThen try again.', author: 'Boris Agent', attachments: ['log.txt'] },
      quote: { author: 'Anna', date: Date.UTC(2026, 10, 2, 9, 30), text: 'It jams.\n> older quote' },
    });
    expect(r.text).toMatch(/Please restart it\.\n\nThen try again\.\n\nBoris Agent/);
    expect(r.text).toContain('Attached: log.txt');
    expect(r.text).toContain('On November 2, 2026 at 12:30 PM, Anna wrote:\n> It jams.\n>> older quote');
    expect(r.html).toContain('<p>Please restart it.</p>\n<p>Then try again.</p>');
    expect(r.html).toContain('<blockquote');
  });

  it('says how to reopen, and when reopening is no longer possible', () => {
    const open = renderer.render('status_resolved', 'en', { ...base, reopenWindowDays: 14, reopensLeft: 1 });
    expect(open.text).toContain('reply to this mail within 14 days and we will reopen the ticket. It can be reopened 1 more time(s).');
    const none = renderer.render('status_resolved', 'ru', { ...base, reopensLeft: 0 });
    expect(none.text).toContain('эту заявку больше нельзя открыть повторно');
  });

  it('labels values in the recipient’s language', () => {
    expect(renderer.render('assigned', 'en', base).text).toContain('Priority: High');
    expect(renderer.render('assigned', 'ru', base).text).toContain('Приоритет: Высокий');
  });

  it('falls back to the default locale, then refuses an unknown template for good', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tpl-'));
    mkdirSync(path.join(dir, 'en'));
    for (const part of ['subject', 'text', 'html']) writeFileSync(path.join(dir, 'en', `only_en.${part}.hbs`), `hello {{name}} (${part})`);
    const r = createEmailRenderer({ dir, cache: false, defaultLocale: 'en', timeZone: 'UTC' }).render('only_en', 'ru', { name: 'Ivan' });
    expect(r).toMatchObject({ subject: 'hello Ivan (subject)', locale: 'en' });
    expect(() => renderer.render('no_such_template', 'en', {})).toThrow(/no mail template no_such_template/);
    expect(() => renderer.render('../../etc/passwd', 'en', {})).toThrow(/invalid template name/);
  });
});
