// Multipart forms (uploads) carry their CSRF token in the body or the X-CSRF-Token header like
// every other form; a token given only in the URL is refused, and so is a file sent before it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAttachmentsForMessages, listTicketMessages } from '../../../src/store/messages.ts';
import type { Ticket } from '../../../src/store/tickets.ts';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { PASSWORD, person, ticket } from '../../helpers/factories.ts';
import { Browser, startTestServer, type TestServer } from '../../helpers/web.ts';

describe('CSRF token of multipart forms', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let b: Browser;
  let t: Ticket;
  beforeEach(async () => {
    deps = makeTestDeps();
    srv = await startTestServer(deps);
    const agent = await person(srv.services, 'Dmitry Ivanov');
    t = ticket(srv.services, agent);
    b = new Browser(srv.url);
    await b.login(agent.email, PASSWORD);
    await b.get(`/tickets/${t.number}`);
  });
  afterEach(async () => {
    await srv.close();
    deps.close();
  });

  const reply = (body: string, withFile = true) => {
    const form = new FormData();
    form.append('body', body);
    if (withFile) form.append('attachments', new Blob(['log line'], { type: 'text/plain' }), 'app.log');
    return form;
  };
  const replies = () => listTicketMessages(deps.db, t.id).filter((m) => m.direction === 'out');

  it('refuses a token given only in the URL', async () => {
    const page = await b.get(`/tickets/${t.number}`);
    expect(page.text).toContain(`action="/tickets/${t.number}/replies"`);
    expect(page.text).not.toMatch(/\?_csrf=/);
    expect((await b.postFormData(`/tickets/${t.number}/replies`, reply('via URL'), { csrf: 'url' })).status).toBe(403);
    expect((await b.postFormData(`/tickets/${t.number}/replies`, reply('via URL, no file', false), { csrf: 'url' })).status).toBe(403);
    expect(replies()).toHaveLength(0);
  });

  it('accepts the token as the first body field (a form without JavaScript) or in the header (htmx)', async () => {
    const field = await b.postFormData(`/tickets/${t.number}/replies`, reply('as a field'), { csrf: 'body' });
    expect(field.status).toBe(303);
    const header = await b.postFormData(`/tickets/${t.number}/replies`, reply('in the header'), { csrf: 'header' });
    expect(header.status).toBe(303);
    const sent = replies();
    expect(sent.map((m) => m.bodyText)).toEqual(['as a field', 'in the header']);
    expect(listAttachmentsForMessages(deps.db, sent.map((m) => m.id)).map((a) => a.filename)).toEqual(['app.log', 'app.log']);
  });

  it('refuses a file that comes before the token: nothing is read for a forged request', async () => {
    const form = reply('file first');
    form.append('_csrf', b.csrf);
    expect((await b.postFormData(`/tickets/${t.number}/replies`, form, { csrf: false })).status).toBe(403);
    expect(replies()).toHaveLength(0);
  });

  it('protects every route against multipart bodies, not only the upload form', async () => {
    const form = new FormData();
    form.append('status', 'resolved');
    expect((await b.postFormData(`/tickets/${t.number}/status`, form, { csrf: 'url' })).status).toBe(403);
  });
});
