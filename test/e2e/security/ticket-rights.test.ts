// Agents' rights on tickets and merge confirmation, over HTTP: what the console shows an agent on
// a colleague's ticket, what a refusal says, and the who-sees-what step of a merge (console and API).
import { beforeEach, describe, expect, it } from 'vitest';
import { ticket } from '../../helpers/factories.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';
import { createApiToken } from '../../../src/actions/api-tokens.ts';
import { assignTicket } from '../../../src/actions/tickets.ts';
import { findTicketByNumber, listParticipants, type Ticket } from '../../../src/store/tickets.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { updateUser, type User } from '../../../src/store/users.ts';

describe('agents\' rights on tickets, in the console and the API', () => {
  const desk = useTestDesk();
  let dmitry: User;
  let irina: User;
  beforeEach(async () => {
    dmitry = await desk.person('Dmitry Ivanov');
    irina = await desk.person('Irina Orlova');
  });
  const held = async (by: User | null, extra: Parameters<typeof ticket>[2] = {}): Promise<Ticket> => {
    const t = await ticket(desk.srv.services, null, extra);
    return by ? await assignTicket(desk.srv.services.ctx, { kind: 'system' }, { ticketId: t.id, assigneeId: by.id }) : t;
  };
  const now = async (t: Ticket) => (await findTicketByNumber(desk.deps.db, t.number))!;
  const unescape = (s: string) => s.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

  it('shows an agent on a colleague\'s ticket only what they may do, and says whose ticket it is', async () => {
    const theirs = await held(irina);
    const mine = await held(dmitry);
    const b = await desk.signIn(dmitry);
    const page = (await b.get(`/tickets/${theirs.number}`)).text;
    expect(page).toContain('Assigned to Irina Orlova: only they, a manager or the manager of the component change this ticket.');
    for (const action of ['properties', 'assign', 'assign-free', 'status', 'links', 'merge', 'resolve']) {
      expect(page, action).not.toContain(`action="/tickets/${theirs.number}/${action}"`);
    }
    expect(page).not.toContain('name="statusAfter"');
    for (const action of ['replies', 'notes', 'worklogs', 'escalate']) expect(page, action).toContain(`action="/tickets/${theirs.number}/${action}`);
    const own = (await b.get(`/tickets/${mine.number}`)).text;
    for (const action of ['properties', 'assign', 'links', 'merge', 'resolve']) expect(own, action).toContain(`action="/tickets/${mine.number}/${action}"`);
    expect(own).not.toContain('data-read-only');
  });

  it('refuses a change with a clear message: an error page, or the flash region for htmx', async () => {
    const theirs = await held(irina);
    const b = await desk.signIn(dmitry);
    const plain = await b.post(`/tickets/${theirs.number}/status`, { status: 'closed' });
    expect(plain.status).toBe(403);
    expect(unescape(plain.text)).toContain('This ticket is assigned to Irina Orlova: only they, a manager or the manager of its component may change it.');
    const htmx = await b.post(`/tickets/${theirs.number}/assign`, { assigneeId: 'me' }, { headers: { 'HX-Request': 'true' } });
    expect(htmx.status).toBe(403);
    expect(htmx.headers.get('hx-retarget')).toBe('#flash');
    expect(htmx.text).toMatch(/^<p class="flash error" role="alert">This ticket is assigned to Irina Orlova/);
    expect(await now(theirs)).toMatchObject({ status: 'assigned', assigneeId: irina.id });
    await updateUser(desk.deps.db, dmitry.id, { locale: 'ru' }, Date.now());
    const ru = await b.post(`/tickets/${theirs.number}/status`, { status: 'closed' });
    expect(ru.status).toBe(403);
    expect(ru.text).toContain('Заявка назначена на сотрудника Irina Orlova');
  });

  it('sends an agent\'s reply on a colleague\'s ticket but keeps its status, saying why', async () => {
    const theirs = await held(irina);
    const b = await desk.signIn(dmitry);
    await b.get(`/tickets/${theirs.number}`);
    const r = await b.postMultipart(`/tickets/${theirs.number}/replies`, { body: 'Try the other tray', statusAfter: 'pending_requester' });
    expect(r.status).toBe(303);
    expect(unescape((await b.get(`/tickets/${theirs.number}`)).text)).toMatch(/Reply queued for sending\. The status stayed: This ticket is assigned to Irina Orlova/);
    expect((await now(theirs)).status).toBe('assigned');
    expect((await listTicketMessages(desk.deps.db, theirs.id)).some((m) => m.bodyText === 'Try the other tray')).toBe(true);
  });

  it('asks before merging tickets of different requesters, saying who will see what, and merges once confirmed', async () => {
    const target = await held(dmitry, { requesterEmail: 'anna@client.example', requesterName: 'Anna Petrova' });
    const source = await held(dmitry, { requesterEmail: 'ivan@other.example', requesterName: 'Ivan Petrov', subject: 'Printer again' });
    const b = await desk.signIn(dmitry);
    await b.get(`/tickets/${source.number}`);
    const ask = await b.post(`/tickets/${source.number}/merge`, { number: String(target.number), understood: 'on' });
    expect(ask.status).toBe(409);
    const text = unescape(ask.text);
    expect(text).toContain(`Confirm the merge of #${source.number} into #${target.number}`);
    expect(text).toContain(`Ivan Petrov (requester of #${source.number}) will become a participant of #${target.number} and will see its whole conversation.`);
    expect(text).toContain(`Anna Petrova (requester of #${target.number}) will see the conversation of #${source.number}.`);
    expect(text).toMatch(/name="confirmed" value="yes"/);
    expect(await now(source)).toMatchObject({ status: 'assigned', mergedIntoId: null });
    expect(await listParticipants(desk.deps.db, target.id)).toEqual([]);
    const done = await b.post(`/tickets/${source.number}/merge`, { number: String(target.number), confirmed: 'yes' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/tickets/${target.number}`);
    expect(await now(source)).toMatchObject({ status: 'closed', mergedIntoId: target.id });
    expect(await listParticipants(desk.deps.db, target.id)).toEqual(['ivan@other.example']);
  });

  it('merges tickets of the same requester at once, as before', async () => {
    const [target, source] = [await held(dmitry), await held(dmitry)];
    const b = await desk.signIn(dmitry);
    await b.get(`/tickets/${source.number}`);
    expect((await b.post(`/tickets/${source.number}/merge`, { number: String(target.number), understood: 'on' })).status).toBe(303);
    expect((await now(source)).mergedIntoId).toBe(target.id);
  });

  it('API: 409 confirmation_required with who sees what, nothing merged; 200 with confirm: true', async () => {
    const target = await held(dmitry, { requesterEmail: 'anna@client.example', requesterName: 'Anna Petrova' });
    const source = await held(dmitry, { requesterEmail: 'ivan@other.example', requesterName: 'Ivan Petrov' });
    const token = (await createApiToken(desk.srv.services.ctx, dmitry, { name: 'cli' })).token;
    const merge = (body: unknown) => fetch(`${desk.srv.url}/api/v1/tickets/${source.number}/merge`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const ask = await merge({ into: target.number });
    expect(ask.status).toBe(409);
    const err = ((await ask.json()) as { error: { code: string; message: string; who_sees_what: string[] } }).error;
    expect(err.code).toBe('confirmation_required');
    expect(err.who_sees_what).toEqual([
      `Ivan Petrov (requester of #${source.number}) will become a participant of #${target.number} and will see its whole conversation`,
      `Anna Petrova (requester of #${target.number}) will see the conversation of #${source.number}`,
    ]);
    expect(err.message).toMatch(/"confirm": true/);
    expect((await now(source)).mergedIntoId).toBeNull();
    expect((await merge({ into: target.number, confirm: 'yes' })).status).toBe(422);
    const done = await merge({ into: target.number, confirm: true });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { data: { number: number } }).data.number).toBe(target.number);
    expect((await now(source)).mergedIntoId).toBe(target.id);
  });

  it('API: an agent may not PATCH or merge a colleague\'s ticket (403 not_your_ticket, unchanged)', async () => {
    const theirs = await held(irina);
    const mine = await held(dmitry);
    const token = (await createApiToken(desk.srv.services.ctx, dmitry, { name: 'cli' })).token;
    const call = (method: string, path: string, body: unknown) => fetch(`${desk.srv.url}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const patch = await call('PATCH', `/tickets/${theirs.number}`, { status: 'closed', assignee_id: dmitry.id });
    expect(patch.status).toBe(403);
    expect(await patch.json()).toMatchObject({ error: { code: 'not_your_ticket', ticket: theirs.number, assignee: 'Irina Orlova' } });
    expect((await call('POST', `/tickets/${theirs.number}/merge`, { into: mine.number, confirm: true })).status).toBe(403);
    expect(await now(theirs)).toMatchObject({ status: 'assigned', assigneeId: irina.id, mergedIntoId: null });
    expect((await call('PATCH', `/tickets/${mine.number}`, { priority: 'high' })).status).toBe(200);
  });
});
