import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addUser, TEST_PASSWORD } from '../../helpers/web.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';
import { countUsers } from '../../../src/store/users.ts';
import { findTicketByNumber } from '../../../src/store/tickets.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';

describe('web console', () => {
  const desk = useTestDesk();

  it('first run: setup creates the admin once, then sends everyone to sign in', async () => {
    const b = desk.browser();
    expect((await b.get('/')).headers.get('location')).toBe('/setup');
    await b.get('/setup');
    const bad = await b.post('/setup', { name: 'Admin', email: 'admin@desk.test', password: 'short', passwordConfirm: 'short' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('at least 10 characters');
    const ok = await b.post('/setup', { name: 'Admin', email: 'admin@desk.test', password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/tickets');
    expect((await b.get('/tickets')).status).toBe(200);
    // a second setup is refused
    const other = desk.browser();
    expect((await other.get('/setup')).headers.get('location')).toBe('/login');
    await other.get('/login');
    const again = await other.post('/setup', { name: 'X', email: 'x@desk.test', password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD });
    expect(again.location).toBe('/login');
    expect(await countUsers(desk.deps.db)).toBe(1);
  });

  it('signs in with the right password only, and signs out', async () => {
    await addUser(desk.srv.services, 'agent');
    const b = desk.browser();
    await b.get('/login');
    const wrong = await b.post('/login', { email: 'agent@desk.test', password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('do not match');
    const right = await b.post('/login', { email: 'AGENT@desk.test', password: TEST_PASSWORD, next: '/tickets?view=mine' });
    expect(right.status).toBe(303);
    expect(right.location).toBe('/tickets?view=mine');
    expect((await b.get('/tickets')).status).toBe(200);
    await b.post('/logout', {});
    expect((await b.get('/tickets')).headers.get('location')).toBe('/login?next=%2Ftickets');
  });

  it('never redirects off-site after sign-in', async () => {
    await addUser(desk.srv.services, 'agent');
    const b = desk.browser();
    await b.get('/login');
    const r = await b.post('/login', { email: 'agent@desk.test', password: TEST_PASSWORD, next: '//evil.example/x' });
    expect(r.location).toBe('/tickets');
  });

  it('refuses unsafe requests without a valid CSRF token', async () => {
    await addUser(desk.srv.services, 'agent');
    const b = desk.browser();
    await b.login('agent@desk.test', TEST_PASSWORD);
    const noToken = await b.post('/tickets', { subject: 'x', body: 'y', requesterEmail: 'a@b.example' }, { csrf: false });
    expect(noToken.status).toBe(403);
    const forged = await b.post('/tickets', { _csrf: 'abc.def', subject: 'x', body: 'y', requesterEmail: 'a@b.example' }, { csrf: false });
    expect(forged.status).toBe(403);
    const ok = await b.post('/tickets', { subject: 'Broken chair', body: 'It wobbles', requesterEmail: 'a@b.example' });
    expect(ok.status).toBe(303);
    expect((await findTicketByNumber(desk.deps.db, 1))?.subject).toBe('Broken chair');
    // a signed-in token does not work in another session
    const other = desk.browser();
    await addUser(desk.srv.services, 'agent', 'agent2@desk.test');
    await other.login('agent2@desk.test', TEST_PASSWORD);
    const stolen = await other.post('/tickets', { _csrf: b.csrf, subject: 'x', body: 'y', requesterEmail: 'a@b.example' }, { csrf: false });
    expect(stolen.status).toBe(403);
  });

  it('limits failed sign-ins', async () => {
    await addUser(desk.srv.services, 'agent');
    const b = desk.browser();
    await b.get('/login');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await b.post('/login', { email: 'agent@desk.test', password: `nope-${i}-xxxxx` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await b.post('/login', { email: 'agent@desk.test', password: TEST_PASSWORD })).status).toBe(429);
  });

  it('shows an imported mail in the queue and on its page; notes, status and assignment work', async () => {
    const agent = await addUser(desk.srv.services, 'agent');
    const raw = readFileSync(new URL('../../../fixtures/email/new-ticket-plain.eml', import.meta.url));
    await desk.srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw });
    const b = desk.browser();
    await b.login('agent@desk.test', TEST_PASSWORD);
    const queue = await b.get('/tickets');
    expect(queue.text).toContain('Printer on 3rd floor is jammed');
    const page = await b.get('/tickets/1');
    expect(page.text).toContain('jams on every page');
    expect(page.text).toContain('Anna Petrova');

    expect((await b.post('/tickets/1/notes', { body: 'Called Anna, toner is fine.' })).status).toBe(303);
    expect((await b.post('/tickets/1/notes', { body: '   ' })).status).toBe(422);
    expect((await b.post('/tickets/1/assign', { assigneeId: 'me' })).status).toBe(303);
    expect((await b.post('/tickets/1/status', { status: 'in_progress' })).status).toBe(303);
    expect((await b.post('/tickets/1/status', { status: 'exploded' })).status).toBe(422);

    const t = (await findTicketByNumber(desk.deps.db, 1))!;
    expect(t.assigneeId).toBe(agent.id);
    expect(t.status).toBe('in_progress');
    const kinds = (await listTicketMessages(desk.deps.db, t.id)).map((m) => m.kind);
    expect(kinds).toEqual(['reply', 'note', 'event', 'event']);
    const after = await b.get('/tickets/1');
    expect(after.text).toContain('Called Anna, toner is fine.');
    expect(after.text).toMatch(/changed the status from New|changed the status from Assigned/);
  });

  it('renders only the list region for an htmx request, and the whole page otherwise', async () => {
    await addUser(desk.srv.services, 'agent');
    const b = desk.browser();
    await b.login('agent@desk.test', TEST_PASSWORD);
    const partial = await b.get('/tickets?view=all', { 'HX-Request': 'true' });
    expect(partial.text.startsWith('<section id="ticket-list">')).toBe(true);
    expect(partial.headers.get('vary')).toMatch(/HX-Request/);
    const boosted = await b.get('/tickets?view=all', { 'HX-Request': 'true', 'HX-Boosted': 'true' });
    expect(boosted.text).toContain('<!doctype html>');
    const restore = await b.get('/tickets?view=all', { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true' });
    expect(restore.text).toContain('<!doctype html>');
  });

  it('answers unknown tickets with 404 and signed-out requests with a sign-in redirect', async () => {
    await addUser(desk.srv.services, 'agent');
    const anon = desk.browser();
    expect((await anon.get('/tickets/1')).headers.get('location')).toBe('/login?next=%2Ftickets%2F1');
    expect((await anon.get('/attachments/1')).status).toBe(303);
    const b = desk.browser();
    await b.login('agent@desk.test', TEST_PASSWORD);
    expect((await b.get('/tickets/999')).status).toBe(404);
    expect((await b.get('/tickets/abc')).status).toBe(404);
  });

  it('speaks Russian when asked', async () => {
    const b = desk.browser();
    const r = await b.get('/setup', { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' });
    expect(r.text).toContain('Создайте учётную запись администратора');
  });
});
