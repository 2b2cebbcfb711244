// A small desk for the console's browser tests: a manager, two printer specialists, components,
// a canned reply and tickets that came in by mail; plus a signed-in Chromium page per person.
import { readFileSync } from 'node:fs';
import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { makeTestDeps, type TestDeps } from './deps.ts';
import { startTestServer, type TestServer } from './web.ts';
import { settled, signInAs, watchPageProblems } from './browser.ts';
import { component, PASSWORD, person } from './factories.ts';
import { createCannedReply } from '../../src/actions/canned-replies.ts';
import { updateTicketFields } from '../../src/actions/ticket-fields.ts';
import { assignTicket } from '../../src/actions/tickets.ts';
import type { User } from '../../src/store/users.ts';
import type { Component } from '../../src/store/components.ts';

export type Desk = {
  deps: TestDeps;
  srv: TestServer;
  olga: User;
  dmitry: User;
  sarah: User;
  printers: Component;
  /** the browser contexts signed in to this desk: closed before the desk, so no page polls a desk that is gone */
  contexts: BrowserContext[];
  close(): Promise<void>;
};

export async function startDesk(): Promise<Desk> {
  const deps = await makeTestDeps();
  // the desk's day must not end while the test runs: the setup moves the clock 35 minutes on, and a
  // test counts the tickets of "today" (UTC); in the last hour and a half of a day the clock starts earlier
  const dayMs = 86_400_000;
  deps.clock.set(Math.min(Date.now(), Math.ceil(Date.now() / dayMs) * dayMs - 90 * 60_000));
  const srv = await startTestServer(deps);
  const s = srv.services;
  const olga = await person(s, 'Olga Smirnova', 'manager');
  const dmitry = await person(s, 'Dmitry Ivanov');
  const sarah = await person(s, 'Sarah Lee');
  const printers = await component(s, 'Printers', [dmitry, sarah], { managerId: olga.id });
  await component(s, 'Network & VPN', [dmitry]);
  await createCannedReply(s.ctx, olga, { title: 'Restart the printer', body: 'Hello {{requester.name}},\n\nplease switch the printer off and on again and tell us if #{{ticket.number}} is solved.\n\n{{agent.name}}' });
  // Dmitry already has a big printer job, so the free specialist is Sarah
  const mail = readFileSync(new URL('../../fixtures/email/new-ticket-plain.eml', import.meta.url));
  const first = await s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: mail });
  await updateTicketFields(s.ctx, { kind: 'user', user: olga }, { ticketId: first.ticketId!, componentId: printers.id, estimateMinutes: 240, priority: 'high' });
  await assignTicket(s.ctx, { kind: 'user', user: olga }, { ticketId: first.ticketId!, assigneeId: dmitry.id });
  const desk = { deps, srv, olga, dmitry, sarah, printers, contexts: [] as BrowserContext[] };
  // some everyday work around it, in both languages
  const more: [string, string, string, 'low' | 'normal' | 'high' | 'urgent', User | null][] = [
    ['VPN drops every hour', 'sergey.kim@romashka.ru', 'The VPN client disconnects every hour on the hour.', 'urgent', dmitry],
    ['Не печатает принтер на 3 этаже', 'anna.petrova@romashka.ru', 'Принтер HP зажёвывает каждый лист.', 'high', null],
    ['Outlook keeps asking for my password', 'john.smith@acme.example', 'Since this morning, every ten minutes.', 'normal', sarah],
    ['1С: ошибка при закрытии месяца', 'm.volkova@romashka.ru', 'Нарушена целостность данных, срочно!', 'high', null],
    ['Second monitor for desk B-214', 'ken.tanaka@acme.example', 'My manager approved it.', 'low', null],
  ];
  for (const [subject, from, body, priority, who] of more) {
    const tid = await mailIn(desk, subject, body, from);
    await updateTicketFields(s.ctx, { kind: 'user', user: olga }, { ticketId: tid, priority });
    if (who) await assignTicket(s.ctx, { kind: 'user', user: olga }, { ticketId: tid, assigneeId: who.id });
    deps.clock.advance(7 * 60_000);
  }
  return {
    ...desk,
    async close() {
      await Promise.all(desk.contexts.splice(0).map((c) => c.close().catch(() => undefined)));
      await srv.close();
      deps.close();
    },
  };
}

/** Raw mail from a requester, through the real intake. */
export async function mailIn(desk: Pick<Desk, 'srv'>, subject: string, body: string, from = 'ken.tanaka@acme.example'): Promise<number> {
  const id = `${Math.random().toString(36).slice(2)}@acme.example`;
  const name = from.split('@')[0].split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(' ');
  const b64 = (t: string) => `=?UTF-8?B?${Buffer.from(t).toString('base64')}?=`;
  const raw = Buffer.from(`From: ${name} <${from}>\r\nTo: support@desk.example\r\nSubject: ${b64(subject)}\r\nMessage-ID: <${id}>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}\r\n`);
  const r = await desk.srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw });
  return r.ticketId!;
}

export type Viewport = { width: number; height: number };
export const DESKTOP: Viewport = { width: 1280, height: 800 };
export const PHONE: Viewport = { width: 390, height: 844 };

/** A signed-in page; console errors, page errors and failed requests are collected (CSP violations show up there). */
export async function signedIn(chromium: Chromium, desk: Desk, user: User, viewport: Viewport): Promise<{ page: Page; problems: string[] }> {
  const ctx = await chromium.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC', isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  desk.contexts.push(ctx);
  const page = await ctx.newPage();
  // 422 is how a refused form comes back; anything else 4xx/5xx is a problem
  const problems = watchPageProblems(page, [422]);
  await signInAs(page, desk.srv.url, user.email, PASSWORD);
  return { page, problems };
}

/**
 * Waits for the one-shot message after a boosted form post, then for htmx to settle: the new
 * content is in the page from the swap on, but its hx- attributes work only after the settle.
 */
export async function flash(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('#flash .flash').filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
  await settled(page);
}

