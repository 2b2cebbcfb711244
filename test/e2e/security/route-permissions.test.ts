// Who may use which route: every console and API route the app answers must have a row here,
// and each role (and a signed-out visitor) gets exactly what its row says. A new route without
// a row fails the first test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { Browser, startTestServer, type TestServer } from '../../helpers/web.ts';
import { listRoutes } from '../../helpers/routes.ts';
import { PASSWORD, person, ticket } from '../../helpers/factories.ts';
import { createApp } from '../../../src/web/app.ts';
import { createApiToken } from '../../../src/actions/api-tokens.ts';
import { createCannedReply } from '../../../src/actions/canned-replies.ts';
import { createOrganization } from '../../../src/actions/organizations.ts';
import { createComponent } from '../../../src/actions/components.ts';
import { logWork } from '../../../src/actions/worklog.ts';
import { assignTicket, replyToTicket } from '../../../src/actions/tickets.ts';
import { linkTickets } from '../../../src/actions/ticket-links.ts';
import type { Role } from '../../../src/db/schema.ts';
import { PERMISSIONS } from '../../../src/domain/permissions.ts';
import { REPORTS } from '../../../src/reports/index.ts';
import { findTicket, listParticipants, listTicketLinks, type Ticket } from '../../../src/store/tickets.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import type { User } from '../../../src/store/users.ts';

const ADMIN: Role[] = ['admin'];
const MANAGERS: Role[] = ['admin', 'manager'];
const STAFF: Role[] = ['admin', 'manager', 'agent'];
type Row = { roles: Role[] | 'public'; path?: string };
const pub: Row = { roles: 'public' };
const staff: Row = { roles: STAFF };
const managers: Row = { roles: MANAGERS };
const admin: Row = { roles: ADMIN };

/** Every registered report's page (and its CSV and XLSX downloads), open to the roles its permission names, so a new report has its rows. */
const REPORT_ROWS: Record<string, Row> = Object.fromEntries(
  REPORTS.flatMap((r) => {
    const row: Row = { roles: [...PERMISSIONS[r.permission]] };
    return r.table ? [[`GET ${r.path}`, row], [`GET ${r.path}.csv`, row], [`GET ${r.path}.xlsx`, row]] : [[`GET ${r.path}`, row]];
  }),
);

/** method + express path → who may use it; `path` is the concrete URL to try (ids of seeded rows) */
const CONSOLE: Record<string, Row> = {
  'GET /': pub,
  'GET /healthz': pub,
  'GET /setup': pub,
  'POST /setup': pub,
  'GET /login': pub,
  'POST /login': pub,
  'POST /logout': pub,
  'POST /lang': pub,
  'GET /forgot': pub,
  'POST /forgot': pub,
  'GET /password/:token': { roles: 'public', path: '/password/r1.abc.notavalidtokennotavalidtokennotavalidtokenxx' },
  'POST /password/:token': { roles: 'public', path: '/password/r1.abc.notavalidtokennotavalidtokennotavalidtokenxx' },
  'GET /api/v1/openapi.json': pub,
  'GET /tickets': staff,
  'GET /tickets.csv': staff,
  'GET /tickets.xlsx': staff,
  'GET /tickets/export-progress/:id': { roles: STAFF, path: '/tickets/export-progress/0123456789abcdef' },
  'GET /dashboard': staff,
  'GET /calendar': staff,
  'POST /calendar/feed': staff,
  'GET /calendar.csv': staff,
  'GET /calendar.xlsx': staff,
  // a calendar app's: the signed address is the key (test/e2e/console/calendar.test.ts)
  'GET /calendar/feed/:token.ics': { roles: 'public', path: '/calendar/feed/1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics' },
  'POST /dashboard/layout': staff,
  'GET /tickets/poll': staff,
  'POST /tickets/bulk': staff,
  'POST /views': staff,
  'POST /views/:id/delete': { roles: STAFF, path: '/views/999/delete' },
  'GET /tickets/new': staff,
  'GET /tickets/new/contacts': staff,
  'GET /tickets/new/requester': { roles: STAFF, path: '/tickets/new/requester?contact=1' },
  'POST /tickets': staff,
  'GET /tickets/:number': staff,
  'GET /tickets/:number/presence': staff,
  'GET /tickets/:number/canned': staff,
  'POST /tickets/:number/replies': staff,
  'POST /tickets/:number/notes': staff,
  'POST /tickets/:number/properties': staff,
  'POST /tickets/:number/assign': staff,
  'POST /tickets/:number/status': staff,
  'POST /tickets/:number/assign-free': staff,
  'POST /tickets/:number/estimate': staff,
  'POST /tickets/:number/schedule': staff,
  'POST /tickets/:number/worklogs': staff,
  'POST /tickets/:number/worklogs/:id/delete': { roles: STAFF, path: '/tickets/1/worklogs/999/delete' },
  'POST /tickets/:number/links': staff,
  'POST /tickets/:number/links/:id/delete': staff,
  'POST /tickets/:number/merge': staff,
  'GET /search': staff,
  'GET /contacts': staff,
  'GET /contacts/new': staff,
  'POST /contacts': staff,
  'GET /contacts/:id': staff,
  'POST /contacts/:id': staff,
  'POST /contacts/:id/portal-sessions/end': staff,
  'GET /organizations': staff,
  'GET /organizations/new': managers,
  'POST /organizations': managers,
  'GET /organizations/:id': staff,
  'POST /organizations/:id': managers,
  'GET /components': managers,
  'GET /components/new': managers,
  'POST /components': managers,
  'GET /components/:id': managers,
  'POST /components/:id': managers,
  'GET /admin/users': admin,
  'GET /admin/users/new': admin,
  'POST /admin/users': admin,
  'GET /admin/users/:id': admin,
  'POST /admin/users/:id': admin,
  'POST /admin/users/:id/password': admin,
  'POST /admin/users/:id/invite': admin,
  'GET /admin/getting-started': admin,
  'POST /admin/getting-started/hide': admin,
  'POST /admin/getting-started/show': admin,
  'GET /admin/delivery': admin,
  'POST /admin/delivery/smtp': admin,
  'POST /admin/delivery/twilio': admin,
  'POST /admin/delivery/smtp/off': admin,
  'POST /admin/delivery/twilio/off': admin,
  'POST /admin/delivery/smtp/test': admin,
  'POST /admin/delivery/twilio/test': admin,
  'GET /canned': managers,
  'GET /canned/new': managers,
  'POST /canned': managers,
  'GET /canned/:id': managers,
  'POST /canned/:id': managers,
  'POST /canned/:id/delete': { roles: MANAGERS, path: '/canned/999/delete' },
  // the knowledge base: every staff member reads, agents and up write, managers publish
  'GET /kb': staff,
  'POST /kb/categories': managers,
  'POST /kb/categories/:id': { roles: MANAGERS, path: '/kb/categories/999' },
  'POST /kb/categories/:id/delete': { roles: MANAGERS, path: '/kb/categories/999/delete' },
  'POST /kb/categories/:id/move': { roles: MANAGERS, path: '/kb/categories/999/move' },
  'GET /kb/new': staff,
  'POST /kb': staff,
  'GET /kb/:id': staff,
  'GET /kb/:id/edit': staff,
  'POST /kb/:id': staff,
  'POST /kb/:id/publish': managers,
  'POST /kb/:id/translation': staff,
  'POST /kb/:id/translation/unlink': staff,
  'POST /kb/:id/delete': staff,
  'POST /kb/:id/vote': staff,
  'POST /tickets/:number/kb-article': staff,
  'POST /tickets/:number/kb': staff,
  'GET /profile': staff,
  'POST /profile': staff,
  'POST /profile/availability': staff,
  'POST /profile/password': staff,
  'POST /profile/tokens': staff,
  'POST /profile/tokens/:id/revoke': { roles: STAFF, path: '/profile/tokens/999/revoke' },
  'GET /admin/tokens': admin,
  'POST /admin/tokens/:id/revoke': { roles: ADMIN, path: '/admin/tokens/999/revoke' },
  'GET /admin/sign-in-locks': admin,
  'POST /admin/sign-in-locks/lift': admin,
  'GET /attachments/:id': staff,
  // provider webhooks and the requester portal prove themselves (signature, signed link)
  'POST /webhooks/twilio/sms': pub,
  'POST /webhooks/twilio/status': pub,
  'GET /portal/:token': pub,
  'POST /portal/:token/sign-in': pub,
  'POST /portal/:token/confirm': pub,
  'POST /portal/:token/reopen': pub,
  'POST /portal/:token/escalate': pub,
  'POST /portal/:token/reply': pub,
  'GET /portal/:token/attachments/:id': pub,
  'POST /portal/:token/fresh-link': pub,
  // the signed-in requester portal: sign-in by a one-time link or code; the rest needs the
  // requester session (not a staff one) and sends anyone else to /portal/sign-in
  // (test/e2e/portal/requester-portal.test.ts)
  'GET /portal/sign-in': pub,
  'POST /portal/sign-in': pub,
  'POST /portal/sign-in/code': pub,
  'GET /portal/sign-in/:token': pub,
  'POST /portal/sign-in/:token': pub,
  'POST /portal/sign-out': pub,
  'POST /portal/sign-out-everywhere': pub,
  'GET /portal': pub,
  'GET /portal/requests/:number': pub,
  'GET /portal/new': pub,
  'POST /portal/new': pub,
  // the knowledge base's public articles: a signed-in requester, or anyone when KB_PUBLIC allows
  // (test/e2e/portal/portal-kb.test.ts)
  'GET /portal/kb': pub,
  'GET /portal/kb/:id': pub,
  'POST /portal/kb/:id/vote': pub,
  'POST /portal/kb/:id/solved': pub,
  'GET /portal/suggestions': pub,
  // incoming mail: quarantine and mailboxes (any agent may download the original of mail on a ticket)
  'GET /admin/inbound': managers,
  'POST /admin/inbound/:id/reprocess': { roles: MANAGERS, path: '/admin/inbound/999/reprocess' },
  'POST /admin/inbound/reprocess-all': managers,
  'GET /inbound/:id/raw': { roles: STAFF, path: '/inbound/999/raw' },
  'GET /admin/mailboxes': admin,
  'GET /admin/mailboxes/new': admin,
  'POST /admin/mailboxes': admin,
  'POST /admin/mailboxes/test': admin,
  'POST /admin/mailboxes/:id/test': { roles: ADMIN, path: '/admin/mailboxes/999/test' },
  'GET /admin/mailboxes/:id': { roles: ADMIN, path: '/admin/mailboxes/999' },
  'POST /admin/mailboxes/:id': { roles: ADMIN, path: '/admin/mailboxes/999' },
  'POST /admin/mailboxes/:id/enabled': { roles: ADMIN, path: '/admin/mailboxes/999/enabled' },
  // outgoing mail
  'GET /admin/outbox': admin,
  'POST /admin/outbox/retry-dead': admin,
  'POST /admin/outbox/settings': admin,
  'POST /admin/outbox/:id/retry': { roles: ADMIN, path: '/admin/outbox/999/retry' },
  'POST /admin/outbox/:id/discard': { roles: ADMIN, path: '/admin/outbox/999/discard' },
  'GET /admin/audit': admin,
  'GET /admin/audit.csv': admin,
  'GET /me/notifications': staff,
  'POST /me/notifications': staff,
  // SMS
  'GET /sms/new': staff,
  'POST /sms/new': staff,
  // workflow, SLA and contracts
  'GET /tickets/:number/workflow': staff,
  'POST /tickets/:number/resolve': staff,
  'POST /tickets/:number/reject-resolution': managers,
  'POST /tickets/:number/escalate': staff,
  'POST /tickets/:number/complaint/handled': managers,
  'POST /tickets/:number/billable': managers,
  'POST /tickets/:number/portal-links/revoke': staff,
  'GET /admin/calendars': admin,
  'POST /admin/calendars': admin,
  'GET /admin/calendars/:id': { roles: ADMIN, path: '/admin/calendars/999' },
  'POST /admin/calendars/:id': { roles: ADMIN, path: '/admin/calendars/999' },
  'POST /admin/calendars/:id/delete': { roles: ADMIN, path: '/admin/calendars/999/delete' },
  'POST /admin/calendars/:id/exceptions': { roles: ADMIN, path: '/admin/calendars/999/exceptions' },
  'POST /admin/calendars/:id/exceptions/:eid/delete': { roles: ADMIN, path: '/admin/calendars/999/exceptions/999/delete' },
  'POST /admin/calendars/:id/import': { roles: ADMIN, path: '/admin/calendars/999/import' },
  'GET /admin/sla-policies': admin,
  'POST /admin/sla-policies': admin,
  'GET /admin/sla-policies/:id': { roles: ADMIN, path: '/admin/sla-policies/999' },
  'POST /admin/sla-policies/:id': { roles: ADMIN, path: '/admin/sla-policies/999' },
  'POST /admin/sla-policies/:id/delete': { roles: ADMIN, path: '/admin/sla-policies/999/delete' },
  'GET /admin/workflow': admin,
  'POST /admin/workflow': admin,
  'GET /organizations/:id/contract': managers,
  'POST /organizations/:id/contract': managers,
  // reports: each from the registry, and the ones whose audience is pinned here
  ...REPORT_ROWS,
  'GET /reports/contracts': managers,
};

/** the REST API: bearer tokens instead of sessions */
const API: Record<string, Row> = {
  'GET /api/v1/kb/articles': staff,
  'GET /api/v1/kb/articles/:id': staff,
  'GET /api/v1/me': staff,
  'GET /api/v1/calendar': { roles: STAFF, path: '/api/v1/calendar?from=2026-11-01&to=2026-11-30' },
  'GET /api/v1/tickets': staff,
  'GET /api/v1/search': { roles: STAFF, path: '/api/v1/search?q=printer' },
  'POST /api/v1/tickets': staff,
  'GET /api/v1/tickets/:number': staff,
  'PATCH /api/v1/tickets/:number': staff,
  'POST /api/v1/tickets/:number/replies': staff,
  'POST /api/v1/tickets/:number/notes': staff,
  'POST /api/v1/tickets/:number/worklogs': staff,
  'POST /api/v1/tickets/:number/merge': staff,
  'GET /api/v1/contacts': staff,
  'POST /api/v1/contacts': staff,
  'GET /api/v1/contacts/:id': staff,
  'PATCH /api/v1/contacts/:id': staff,
  'GET /api/v1/organizations': staff,
  'POST /api/v1/organizations': managers,
  'GET /api/v1/organizations/:id': staff,
  'PATCH /api/v1/organizations/:id': managers,
  // each report with a table, as data, for the roles its permission names
  ...Object.fromEntries(REPORTS.filter((r) => r.table).map((r) => [`GET /api/v1/reports/${r.id}`, { roles: [...PERMISSIONS[r.permission]] }])),
};

const concrete = (key: string, row: Row) => row.path ?? key.split(' ')[1].replace(':number', '1').replace(':id', '1');

let deps: TestDeps;
let srv: TestServer;
let app: Express;
const sessions = new Map<Role, Browser>();
let staffOf: Record<Role | 'colleague' | 'specialist', User>;
let printersId: number;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  deps = await makeTestDeps();
  srv = await startTestServer(deps);
  app = await createApp(srv.services.ctx, srv.services.web);
  const s = srv.services;
  const people = { admin: await person(s, 'Root', 'admin'), manager: await person(s, 'Olga', 'manager'), agent: await person(s, 'Dmitry', 'agent') };
  staffOf = { ...people, colleague: await person(s, 'Irina', 'agent'), specialist: await person(s, 'Pavel', 'agent') };
  const t = await ticket(s, people.agent);
  await ticket(s, people.agent, { subject: 'Second' });
  await replyToTicket(s.ctx, { kind: 'user', user: people.agent }, { ticketId: t.id, body: 'See the file', attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('a') }] });
  await logWork(s.ctx, { kind: 'user', user: people.agent }, { ticketId: t.id, minutes: 5 });
  await createOrganization(s.ctx, people.manager, { name: 'Acme' });
  // "assign to a free specialist" picks Pavel, whom no ticket of the rights table is assigned to
  printersId = (await createComponent(s.ctx, people.manager, { name: 'Printers', agentIds: [staffOf.specialist.id] })).id;
  await createCannedReply(s.ctx, people.manager, { title: 'Hi', body: 'Hello' });
  for (const role of ['admin', 'manager', 'agent'] as const) {
    const b = new Browser(srv.url);
    await b.login(people[role].email, PASSWORD);
    sessions.set(role, b);
    tokens.set(role, (await createApiToken(s.ctx, people[role], { name: role })).token);
  }
}, 60_000);

afterAll(async () => {
  await srv?.close();
  deps?.close();
});

describe('permissions', () => {
  it('has a row for every route the app answers, and no row for a route that is gone', () => {
    const routes = listRoutes(app).map((r) => `${r.method} ${r.path}`);
    const known = { ...CONSOLE, ...API };
    expect(routes.filter((r) => !(r in known)), 'routes without a row').toEqual([]);
    expect(Object.keys(known).filter((k) => !routes.includes(k)), 'rows without a route').toEqual([]);
  });

  it('sends signed-out visitors to sign in, and refuses their unsafe requests', async () => {
    const anon = new Browser(srv.url);
    await anon.get('/login'); // a CSRF token for the signed-out session
    for (const [key, row] of Object.entries(CONSOLE)) {
      if (row.roles === 'public') continue;
      const [method] = key.split(' ');
      const path = concrete(key, row);
      if (method === 'GET') {
        const r = await anon.get(path);
        expect(r.status, key).toBe(303);
        expect(r.headers.get('location'), key).toMatch(/^\/login\?next=/);
      } else {
        expect((await anon.post(path, {})).status, key).toBe(401);
      }
    }
  });

  it('lets each role use exactly the console routes its row allows', async () => {
    const report: string[] = [];
    for (const role of ['agent', 'manager', 'admin'] as const) {
      const b = sessions.get(role)!;
      for (const [key, row] of Object.entries(CONSOLE)) {
        if (row.roles === 'public') continue;
        const [method] = key.split(' ');
        const path = concrete(key, row);
        const status = method === 'GET' ? (await b.get(path)).status : (await b.post(path, {})).status;
        const allowed = row.roles.includes(role);
        if (allowed ? status === 401 || status === 403 : status !== 403) report.push(`${role} ${key} → ${status} (${allowed ? 'should be allowed' : 'should be 403'})`);
      }
    }
    expect(report).toEqual([]);
  });

  it('lets each API token do exactly what its user\'s role allows, and nothing without one', async () => {
    const report: string[] = [];
    const call = async (method: string, path: string, token?: string) =>
      (await fetch(srv.url + path, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' })).status;
    for (const [key, row] of Object.entries(API)) {
      const [method] = key.split(' ');
      const path = concrete(key, row);
      const anon = await call(method, path);
      if (anon !== 401) report.push(`anonymous ${key} → ${anon}`);
      for (const role of ['agent', 'manager', 'admin'] as const) {
        const status = await call(method, path, tokens.get(role));
        const allowed = row.roles !== 'public' && row.roles.includes(role);
        if (allowed ? status === 401 || status === 403 : status !== 403) report.push(`${role} ${key} → ${status}`);
      }
    }
    expect(report).toEqual([]);
  });
});

/**
 * Agents' rights on tickets: every route that assigns, changes the status or fields of, links or
 * merges a ticket, tried by an agent on a colleague's ticket (refused, nothing changes), on their
 * own and on an unassigned one (allowed), and by a manager and an admin on the colleague's ticket.
 * `body` makes a real change; `other` is a second ticket of the same requester (links, merges).
 */
type Change = { body: (t: Ticket, other: Ticket) => Record<string, unknown>; path?: (t: Ticket, other: Ticket) => string; refusedStatus?: number };
const RIGHTS: Record<string, Change> = {
  'POST /tickets/:number/properties': { body: (t) => ({ priority: 'urgent', status: t.status, assigneeId: t.assigneeId ? String(t.assigneeId) : '' }) },
  'POST /tickets/:number/assign': { body: () => ({ assigneeId: String(staffOf.specialist.id) }) },
  'POST /tickets/:number/status': { body: () => ({ status: 'pending_requester' }) },
  'POST /tickets/:number/assign-free': { body: () => ({}) },
  'POST /tickets/:number/estimate': { body: () => ({ estimate: '90' }) },
  'POST /tickets/:number/schedule': { body: () => ({ dueDate: '2030-01-10', dueTime: '17:00', plannedDate: '', plannedTime: '' }) },
  'POST /tickets/:number/links': { body: (_t, other) => ({ number: String(other.number) }) },
  'POST /tickets/:number/links/:id/delete': { body: () => ({}), path: (t, other) => `/tickets/${t.number}/links/${other.id}/delete` },
  'POST /tickets/:number/merge': { body: (_t, other) => ({ number: String(other.number), confirmed: 'yes' }) },
  'POST /tickets/:number/resolve': { body: () => ({ note: 'Replaced the fuser' }) },
  // bulk changes report a refusal per ticket on the queue page (303), changing nothing
  'POST /tickets/bulk': { body: (t) => ({ ids: String(t.id), action: 'priority', priority: 'urgent', back: '/tickets' }), path: () => '/tickets/bulk', refusedStatus: 303 },
  'PATCH /api/v1/tickets/:number': { body: () => ({ priority: 'urgent' }) },
  'POST /api/v1/tickets/:number/merge': { body: (_t, other) => ({ into: other.number, confirm: true }) },
};
/** ticket routes every agent may use on any ticket, and routes only managers reach at all */
const OPEN_TO_EVERY_AGENT = [
  'POST /tickets/:number/replies', 'POST /tickets/:number/notes', 'POST /tickets/:number/worklogs', 'POST /tickets/:number/worklogs/:id/delete',
  'POST /tickets/:number/escalate', 'POST /api/v1/tickets/:number/replies',
  // a leaked link is stopped by whoever notices it first, whoever holds the ticket
  'POST /tickets/:number/portal-links/revoke', 'POST /api/v1/tickets/:number/notes', 'POST /api/v1/tickets/:number/worklogs',
  // makes a knowledge-base draft from the ticket and leaves the ticket as it is
  'POST /tickets/:number/kb-article',
  // finds articles and fills the reply box from them (posted to keep the draft out of the address); the ticket is left as it is
  'POST /tickets/:number/kb',
];

async function snapshot(ids: number[]) {
  const db = srv.services.ctx.db;
  return await Promise.all(ids.map(async (id) => ({
    ticket: await findTicket(db, id), links: await listTicketLinks(db, id), participants: await listParticipants(db, id),
    messages: (await listTicketMessages(db, id)).map((m) => m.id),
  })));
}

type Holder = 'colleague' | 'agent' | null;
async function rightsCase(holder: Holder, linked: boolean) {
  const s = srv.services;
  const t = await ticket(s, null, { subject: 'Toner', componentId: printersId });
  const other = await ticket(s, null, { subject: 'Toner again' });
  if (holder) await assignTicket(s.ctx, { kind: 'system' }, { ticketId: t.id, assigneeId: staffOf[holder].id });
  if (linked) await linkTickets(s.ctx, { kind: 'user', user: staffOf.manager }, { ticketId: t.id, otherNumber: other.number });
  return { t: (await findTicket(s.ctx.db, t.id))!, other };
}

async function send(role: Role, key: string, change: Change, t: Ticket, other: Ticket) {
  const [method, route] = key.split(' ');
  const path = change.path?.(t, other) ?? route.replace(':number', String(t.number));
  const body = change.body(t, other);
  if (path.startsWith('/api/')) {
    const res = await fetch(srv.url + path, { method, headers: { authorization: `Bearer ${tokens.get(role)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { error?: { code: string } } };
  }
  const r = await sessions.get(role)!.post(path, body as Record<string, string>);
  return { status: r.status, text: r.text };
}

describe('agents\' rights on tickets', () => {
  it('has a row for every route that changes a ticket', () => {
    const ticketRoutes = listRoutes(app).map((r) => `${r.method} ${r.path}`)
      .filter((k) => /^(POST|PATCH) (\/api\/v1)?\/tickets\/(:number|bulk)/.test(k))
      .filter((k) => { const row = { ...CONSOLE, ...API }[k]; return row.roles !== 'public' && row.roles.includes('agent'); });
    expect(ticketRoutes.filter((k) => !(k in RIGHTS) && !OPEN_TO_EVERY_AGENT.includes(k)), 'ticket routes without a rights row').toEqual([]);
  });

  it('refuses an agent on a colleague\'s ticket on every changing route (403, or a bulk refusal), and changes nothing', async () => {
    const report: string[] = [];
    for (const [key, change] of Object.entries(RIGHTS)) {
      const { t, other } = await rightsCase('colleague', key.includes('/links/:id/delete'));
      const before = await snapshot([t.id, other.id]);
      const r = await send('agent', key, change, t, other);
      if (r.status !== (change.refusedStatus ?? 403)) report.push(`${key} → ${r.status}`);
      if (r.json && r.json.error?.code !== 'not_your_ticket') report.push(`${key} → code ${r.json.error?.code}`);
      if (r.status === 403 && 'text' in r && !/assigned to Irina/.test(r.text ?? '')) report.push(`${key}: the page does not say whose ticket it is`);
      if (JSON.stringify(await snapshot([t.id, other.id])) !== JSON.stringify(before)) report.push(`${key} changed the ticket`);
    }
    expect(report).toEqual([]);
  });

  it('lets an agent change their own and unassigned tickets, and managers and admins change anyone\'s, on every changing route', async () => {
    const report: string[] = [];
    const cases: [Role, Holder][] = [['agent', 'agent'], ['agent', null], ['manager', 'colleague'], ['admin', 'colleague']];
    for (const [key, change] of Object.entries(RIGHTS)) {
      for (const [role, holder] of cases) {
        const { t, other } = await rightsCase(holder, key.includes('/links/:id/delete'));
        const before = await snapshot([t.id, other.id]);
        const r = await send(role, key, change, t, other);
        const ok = key.startsWith('POST /api/') || key.startsWith('PATCH /api/') ? r.status === 200 : r.status === 303;
        if (!ok) report.push(`${role} on ${holder ?? 'an unassigned'} ticket: ${key} → ${r.status}`);
        if (JSON.stringify(await snapshot([t.id, other.id])) === JSON.stringify(before)) report.push(`${role} on ${holder ?? 'an unassigned'} ticket: ${key} changed nothing`);
      }
    }
    expect(report).toEqual([]);
  });
});
