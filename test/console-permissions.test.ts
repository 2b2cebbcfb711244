// Who may use which route: every console and API route the app answers must have a row here,
// and each role (and a signed-out visitor) gets exactly what its row says. A new route without
// a row fails the first test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { makeTestDeps, type TestDeps } from './helpers/deps.ts';
import { Browser, startTestServer, type TestServer } from './helpers/web.ts';
import { listRoutes } from './helpers/routes.ts';
import { PASSWORD, person, ticket } from './helpers/factories.ts';
import { createApp } from '../src/web/app.ts';
import { createApiToken } from '../src/actions/api-tokens.ts';
import { createCannedReply } from '../src/actions/canned-replies.ts';
import { createOrganization } from '../src/actions/organizations.ts';
import { createComponent } from '../src/actions/components.ts';
import { logWork } from '../src/actions/worklog.ts';
import { replyToTicket } from '../src/actions/tickets.ts';
import type { Role } from '../src/db/schema.ts';

const ADMIN: Role[] = ['admin'];
const MANAGERS: Role[] = ['admin', 'manager'];
const STAFF: Role[] = ['admin', 'manager', 'agent'];
type Row = { roles: Role[] | 'public'; path?: string };
const pub: Row = { roles: 'public' };
const staff: Row = { roles: STAFF };
const managers: Row = { roles: MANAGERS };
const admin: Row = { roles: ADMIN };

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
  'GET /api/v1/openapi.json': pub,
  'GET /tickets': staff,
  'GET /tickets/poll': staff,
  'POST /tickets/bulk': staff,
  'POST /views': staff,
  'POST /views/:id/delete': { roles: STAFF, path: '/views/999/delete' },
  'GET /tickets/new': staff,
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
  'GET /canned': managers,
  'GET /canned/new': managers,
  'POST /canned': managers,
  'GET /canned/:id': managers,
  'POST /canned/:id': managers,
  'POST /canned/:id/delete': { roles: MANAGERS, path: '/canned/999/delete' },
  'GET /profile': staff,
  'POST /profile': staff,
  'POST /profile/availability': staff,
  'POST /profile/password': staff,
  'POST /profile/tokens': staff,
  'POST /profile/tokens/:id/revoke': { roles: STAFF, path: '/profile/tokens/999/revoke' },
  'GET /admin/tokens': admin,
  'POST /admin/tokens/:id/revoke': { roles: ADMIN, path: '/admin/tokens/999/revoke' },
  'GET /attachments/:id': staff,
  // provider webhooks and the requester portal prove themselves (signature, signed link)
  'POST /webhooks/twilio/sms': pub,
  'POST /webhooks/twilio/status': pub,
  'GET /portal/:token': pub,
  'POST /portal/:token/confirm': pub,
  'POST /portal/:token/reopen': pub,
  'POST /portal/:token/escalate': pub,
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
  'GET /reports/contracts': managers,
};

/** the REST API: bearer tokens instead of sessions */
const API: Record<string, Row> = {
  'GET /api/v1/me': staff,
  'GET /api/v1/tickets': staff,
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
};

const concrete = (key: string, row: Row) => row.path ?? key.split(' ')[1].replace(':number', '1').replace(':id', '1');

let deps: TestDeps;
let srv: TestServer;
let app: Express;
const sessions = new Map<Role, Browser>();
const tokens = new Map<Role, string>();

beforeAll(async () => {
  deps = makeTestDeps();
  srv = await startTestServer(deps);
  app = await createApp(srv.services.ctx, srv.services.web);
  const s = srv.services;
  const people = { admin: await person(s, 'Root', 'admin'), manager: await person(s, 'Olga', 'manager'), agent: await person(s, 'Dmitry', 'agent') };
  const t = ticket(s, people.agent);
  ticket(s, people.agent, { subject: 'Second' });
  replyToTicket(s.ctx, { kind: 'user', user: people.agent }, { ticketId: t.id, body: 'See the file', attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('a') }] });
  logWork(s.ctx, { kind: 'user', user: people.agent }, { ticketId: t.id, minutes: 5 });
  createOrganization(s.ctx, people.manager, { name: 'Acme' });
  createComponent(s.ctx, people.manager, { name: 'Printers' });
  createCannedReply(s.ctx, people.manager, { title: 'Hi', body: 'Hello' });
  for (const role of ['admin', 'manager', 'agent'] as const) {
    const b = new Browser(srv.url);
    await b.login(people[role].email, PASSWORD);
    sessions.set(role, b);
    tokens.set(role, createApiToken(s.ctx, people[role], { name: role }).token);
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
