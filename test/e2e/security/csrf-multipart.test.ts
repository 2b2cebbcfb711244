// Multipart forms (uploads) carry their CSRF token in the body or the X-CSRF-Token header like
// every other form; a token given only in the URL is refused, and so is a file sent before it.
import { beforeEach, describe, expect, it } from 'vitest';
import { listAttachmentsForMessages, listTicketMessages } from '../../../src/store/messages.ts';
import type { Ticket } from '../../../src/store/tickets.ts';
import { ticket } from '../../helpers/factories.ts';
import { Browser } from '../../helpers/web.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';

describe('CSRF token of multipart forms', () => {
  const desk = useTestDesk();
  let b: Browser;
  let t: Ticket;
  beforeEach(async () => {
    const agent = await desk.person('Dmitry Ivanov');
    t = await ticket(desk.srv.services, agent);
    b = await desk.signIn(agent);
    await b.get(`/tickets/${t.number}`);
  });

  const reply = (body: string, withFile = true) => {
    const form = new FormData();
    form.append('body', body);
    if (withFile) form.append('attachments', new Blob(['log line'], { type: 'text/plain' }), 'app.log');
    return form;
  };
  const replies = async () => (await listTicketMessages(desk.deps.db, t.id)).filter((m) => m.direction === 'out');

  it('refuses a token given only in the URL', async () => {
    const page = await b.get(`/tickets/${t.number}`);
    expect(page.text).toContain(`action="/tickets/${t.number}/replies"`);
    expect(page.text).not.toMatch(/\?_csrf=/);
    expect((await b.postFormData(`/tickets/${t.number}/replies`, reply('via URL'), { csrf: 'url' })).status).toBe(403);
    expect((await b.postFormData(`/tickets/${t.number}/replies`, reply('via URL, no file', false), { csrf: 'url' })).status).toBe(403);
    expect(await replies()).toHaveLength(0);
  });

  it('accepts the token as the first body field (a form without JavaScript) or in the header (htmx)', async () => {
    const field = await b.postFormData(`/tickets/${t.number}/replies`, reply('as a field'), { csrf: 'body' });
    expect(field.status).toBe(303);
    const header = await b.postFormData(`/tickets/${t.number}/replies`, reply('in the header'), { csrf: 'header' });
    expect(header.status).toBe(303);
    const sent = await replies();
    expect(sent.map((m) => m.bodyText)).toEqual(['as a field', 'in the header']);
    expect((await listAttachmentsForMessages(desk.deps.db, sent.map((m) => m.id))).map((a) => a.filename)).toEqual(['app.log', 'app.log']);
  });

  it('refuses a file that comes before the token: nothing is read for a forged request', async () => {
    const form = reply('file first');
    form.append('_csrf', b.csrf);
    expect((await b.postFormData(`/tickets/${t.number}/replies`, form, { csrf: false })).status).toBe(403);
    expect(await replies()).toHaveLength(0);
  });

  it('protects every route against multipart bodies, not only the upload form', async () => {
    const form = new FormData();
    form.append('status', 'resolved');
    expect((await b.postFormData(`/tickets/${t.number}/status`, form, { csrf: 'url' })).status).toBe(403);
  });
});
