// The audit log through the console: changes to people, API tokens, components and mailboxes each
// leave an entry (who, before → after, no secrets); the admin page filters and pages them; the CSV
// says the same; nobody else may read it.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { useTestDesk } from '../../helpers/test-desk.ts';
import { listAuditEntries, type AuditEntry } from '../../../src/store/audit-log.ts';
import { findUserByEmail } from '../../../src/store/users.ts';
import { findMailboxByAddress } from '../../../src/store/mailboxes.ts';
import { listApiTokens } from '../../../src/store/api-tokens.ts';
import { recordAudit } from '../../../src/actions/audit.ts';
import { createKbCategory, deleteKbCategory, editKbCategory, moveKbCategory } from '../../../src/actions/kb.ts';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;

describe('audit log', () => {
  const desk = useTestDesk();
  const entries = async (kind?: string): Promise<AuditEntry[]> => (await listAuditEntries(desk.deps.db, { kind }, { limit: 500 })).reverse();
  const everything = async () => JSON.stringify(await desk.deps.db.all('select * from audit_log'));
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x3D;/g, '=').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

  it('records people added, edited, given another role, deactivated, reactivated and given a password — never the password', async () => {
    const root = await desk.person('Root Admin', 'admin');
    const a = await desk.signIn(root);
    const form = { name: 'Pavel Orlov', email: 'pavel@desk.test', role: 'agent', locale: 'en', timeZone: 'UTC', active: 'on', available: 'on' };
    expect((await a.post('/admin/users', { ...form, password: 'first secret password' })).status).toBe(303);
    const pavel = (await findUserByEmail(desk.deps.db, 'pavel@desk.test'))!;
    expect((await a.post(`/admin/users/${pavel.id}`, { ...form, name: 'Pavel A. Orlov' })).status).toBe(303);
    expect((await a.post(`/admin/users/${pavel.id}`, { ...form, name: 'Pavel A. Orlov', role: 'manager' })).status).toBe(303);
    expect((await a.post(`/admin/users/${pavel.id}`, { ...form, name: 'Pavel A. Orlov', role: 'manager', active: '' })).status).toBe(303);
    expect((await a.post(`/admin/users/${pavel.id}`, { ...form, name: 'Pavel A. Orlov', role: 'manager' })).status).toBe(303);
    expect((await a.post(`/admin/users/${pavel.id}/password`, { password: 'second secret password' })).status).toBe(303);

    const log = await entries('user');
    expect(log.map((e) => e.action)).toEqual(['created', 'updated', 'role_changed', 'deactivated', 'reactivated', 'password_set']);
    expect(log.every((e) => e.actorKind === 'user' && e.actorUserId === root.id && e.actorName === 'Root Admin' && e.subjectId === pavel.id)).toBe(true);
    expect(log[0]).toMatchObject({ before: null, after: { name: 'Pavel Orlov', role: 'agent', passwordHash: 'set' } });
    expect(log[1]).toMatchObject({ subjectLabel: 'Pavel A. Orlov <pavel@desk.test>', before: { name: 'Pavel Orlov' }, after: { name: 'Pavel A. Orlov' } });
    expect(log[2]).toMatchObject({ before: { role: 'agent' }, after: { role: 'manager' } });
    expect(log[3]).toMatchObject({ before: { active: true }, after: { active: false } });
    expect(log[5]).toMatchObject({ before: { passwordHash: 'set' }, after: { passwordHash: 'changed' } });
    const raw = await everything();
    expect(raw).not.toMatch(/secret password|argon2/);

    // the page: before → after of the fields that changed
    const page = decode((await a.get('/admin/audit')).text);
    expect(page).toContain('Role changed');
    expect(page).toMatch(/<dt>role<\/dt><dd><del>agent<\/del> → <ins>manager<\/ins><\/dd>/);
    expect(page).toMatch(/<dt>passwordHash<\/dt><dd><del>set<\/del> → <ins>changed<\/ins><\/dd>/);
    expect(page).toContain('href="/admin/audit"');
  });

  it('records API tokens made and revoked without the token or its hash', async () => {
    const root = await desk.person('Root Admin', 'admin');
    const agent = await desk.person('Dmitry Ivanov');
    const b = await desk.signIn(agent);
    const made = await b.post('/profile/tokens', { name: 'reports', scope: 'read', expiresInDays: '7' });
    const token = /hd_[\w-]{30,}/.exec(made.text)![0];
    const [t] = await listApiTokens(desk.deps.db);
    const a = await desk.signIn(root);
    expect((await a.post(`/admin/tokens/${t.id}/revoke`, {})).status).toBe(303);
    const log = await entries('api_token');
    expect(log.map((e) => [e.action, e.actorName])).toEqual([['created', 'Dmitry Ivanov'], ['revoked', 'Root Admin']]);
    expect(log[0]).toMatchObject({ subjectId: t.id, subjectLabel: `reports (${t.prefix}…)`, after: { name: 'reports', scope: 'read', userId: agent.id, revokedAt: null } });
    expect(log[1].before).toMatchObject({ revokedAt: null });
    expect(log[1].after).toMatchObject({ revokedAt: desk.deps.clock.now() });
    const raw = await everything();
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(t.tokenHash);
  });

  it('records components and their members, before → after', async () => {
    const boss = await desk.person('Olga Smirnova', 'manager');
    const ivan = await desk.person('Ivan Petrov');
    const anna = await desk.person('Anna Kim');
    const m = await desk.signIn(boss);
    const made = await m.post('/components', { name: 'Printers', agentIds: String(ivan.id), autoAssign: 'off', keywords: 'printer', active: 'on' });
    expect(made.status).toBe(303);
    const id = Number(made.location!.split('/').pop());
    const members = new URLSearchParams([['name', 'Printers & scanners'], ['agentIds', String(ivan.id)], ['agentIds', String(anna.id)], ['autoAssign', 'round_robin'], ['keywords', 'printer'], ['active', 'on']]);
    expect((await m.postParams(`/components/${id}`, members)).status).toBe(303);
    const log = await entries('component');
    expect(log.map((e) => e.action)).toEqual(['created', 'updated']);
    expect(log[0]).toMatchObject({ actorUserId: boss.id, subjectId: id, before: null, after: { name: 'Printers', agentIds: [ivan.id], keywords: ['printer'] } });
    expect(log[1]).toMatchObject({
      subjectLabel: 'Printers & scanners',
      before: { name: 'Printers', agentIds: [ivan.id], autoAssign: 'off' },
      after: { name: 'Printers & scanners', agentIds: [ivan.id, anna.id].sort((x, y) => x - y), autoAssign: 'round_robin' },
    });
  });

  it('records mailboxes added, edited, disabled: a new password only as "changed"', async () => {
    const root = await desk.person('Root Admin', 'admin');
    const a = await desk.signIn(root);
    const form = { name: 'Support', address: 'support@desk.example', host: 'imap.desk.example', port: '993', secure: 'on', username: 'support', password: 'imap secret one', folder: 'INBOX', enabled: 'on' };
    expect((await a.post('/admin/mailboxes', form)).status).toBe(303);
    const mb = (await findMailboxByAddress(desk.deps.db, 'support@desk.example'))!;
    expect((await a.post(`/admin/mailboxes/${mb.id}`, { ...form, name: 'Help', password: '' })).status).toBe(303);
    expect((await a.post(`/admin/mailboxes/${mb.id}`, { ...form, name: 'Help', password: 'imap secret two' })).status).toBe(303);
    expect((await a.post(`/admin/mailboxes/${mb.id}/enabled`, { enabled: '0' })).status).toBe(303);
    const log = await entries('mailbox');
    expect(log.map((e) => e.action)).toEqual(['created', 'updated', 'updated', 'disabled']);
    expect(log[0].after).toMatchObject({ name: 'Support', host: 'imap.desk.example', password: 'set' });
    expect(log[1]).toMatchObject({ subjectLabel: 'Help <support@desk.example>', before: { name: 'Support', password: 'set' }, after: { name: 'Help', password: 'set' } });
    expect(log[2]).toMatchObject({ before: { password: 'set' }, after: { password: 'changed' } });
    expect(log[3]).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
    const raw = await everything();
    expect(raw).not.toMatch(/imap secret|sealed:/);
  });

  it('records outgoing mail and SMS settings without the password or auth token, and knowledge base categories', async () => {
    const root = await desk.person('Root Admin', 'admin');
    const a = await desk.signIn(root);
    const smtp = { host: '127.0.0.1', port: '2525', security: 'none', username: 'support@desk.example', password: 'smtp secret one', from: 'IT Support <support@desk.example>' };
    expect((await a.post('/admin/delivery/smtp', smtp)).status).toBe(303);
    expect((await a.post('/admin/delivery/smtp', { ...smtp, port: '2526', password: '' })).status).toBe(303);
    expect((await a.post('/admin/delivery/twilio', { accountSid: SID, authToken: 'twilio secret token', from: '+1 500 555 0006' })).status).toBe(303);
    expect((await a.post('/admin/delivery/smtp/off', {})).status).toBe(303);
    const log = await entries('delivery');
    expect(log.map((e) => [e.subjectLabel, e.action])).toEqual([['SMTP', 'created'], ['SMTP', 'updated'], ['Twilio', 'created'], ['SMTP', 'removed']]);
    expect(log[0].after).toMatchObject({ host: '127.0.0.1', port: 2525, password: 'set' });
    expect(log[1]).toMatchObject({ before: { port: 2525, password: 'set' }, after: { port: 2526, password: 'set' } });
    expect(log[2].after).toMatchObject({ accountSid: SID, authToken: 'set' });
    expect(log[3]).toMatchObject({ before: { port: 2526 }, after: null });
    expect(await everything()).not.toMatch(/secret|sealed:/);

    const ctx = desk.srv.services.ctx;
    const cat = await createKbCategory(ctx, root, { name: 'Printers' });
    await editKbCategory(ctx, root, cat.id, { name: 'Printers and scanners' });
    await createKbCategory(ctx, root, { name: 'Access' });
    await moveKbCategory(ctx, root, cat.id, 'up'); // above Access, which comes first by name
    await deleteKbCategory(ctx, root, cat.id, null);
    const cats = await entries('kb_category');
    expect(cats.map((e) => [e.action, e.subjectLabel])).toEqual([
      ['created', 'Printers'], ['updated', 'Printers and scanners'], ['created', 'Access'], ['updated', 'Printers and scanners'], ['removed', 'Printers and scanners'],
    ]);
    expect(cats[1]).toMatchObject({ before: { name: 'Printers' }, after: { name: 'Printers and scanners' } });
    expect(cats[3]).toMatchObject({ before: { position: 0 }, after: { position: 1 } });
  });

  it('filters by who, what, period and name, pages newest first, and exports the same entries as CSV', async () => {
    const root = await desk.person('Root Admin', 'admin');
    const boss = await desk.person('Olga Smirnova', 'manager');
    const ctx = desk.srv.services.ctx;
    for (let i = 1; i <= 55; i++) {
      await recordAudit(ctx, boss, { kind: 'component', id: i, label: `Queue ${i}` }, 'updated', { before: { name: `Old ${i}` }, after: { name: `Queue ${i}` } });
    }
    desk.deps.clock.advance(3 * 86_400_000);
    await recordAudit(ctx, null, { kind: 'user', id: root.id, label: 'Root Admin <root.admin@desk.test>' }, 'created', { before: null, after: { name: 'Root Admin', role: 'admin' } });
    await recordAudit(ctx, root, { kind: 'mailbox', id: 9, label: 'Billing, "main" <bill@desk.test>' }, 'created', { before: null, after: { name: 'Billing' } });
    const a = await desk.signIn(root);
    const ids = (html: string) => [...html.matchAll(/data-audit="(\d+)"/g)].map((m) => Number(m[1]));

    const first = await a.get('/admin/audit');
    expect(first.status).toBe(200);
    expect(ids(first.text)).toHaveLength(50);
    expect(ids(first.text)[0]).toBeGreaterThan(ids(first.text)[1]);
    expect(decode(first.text)).toContain('Billing, "main" <bill@desk.test>');
    const next = /href="(\/admin\/audit\?before=\d+)" rel="next"/.exec(decode(first.text))![1];
    const second = await a.get(next);
    expect(ids(second.text)).toHaveLength(7);
    expect(second.text).not.toContain('rel="next"');

    expect(ids((await a.get(`/admin/audit?who=${boss.id}`)).text)).toHaveLength(50);
    expect(decode((await a.get('/admin/audit?who=system')).text)).toMatch(/<em>System<\/em>[\s\S]*Root Admin &lt;|<em>System<\/em>/);
    expect(ids((await a.get('/admin/audit?who=system')).text)).toHaveLength(1);
    expect(ids((await a.get('/admin/audit?kind=mailbox')).text)).toHaveLength(1);
    expect(ids((await a.get('/admin/audit?q=queue+5')).text)).toHaveLength(7); // 5, 50…55
    // the period, in the viewer's zone: the first day holds the 55 changes, the fourth the other two
    expect(ids((await a.get('/admin/audit?from=2026-11-05&to=2026-11-05')).text)).toHaveLength(2);
    const day1 = await a.get('/admin/audit?from=2026-11-02&to=2026-11-02&kind=component');
    expect(ids(day1.text)).toHaveLength(50);
    expect(decode(day1.text)).toContain('href="/admin/audit.csv?kind=component&from=2026-11-02&to=2026-11-02"');
    expect(decode(day1.text)).toMatch(/<dt>name<\/dt><dd><del>Old 55<\/del> → <ins>Queue 55<\/ins><\/dd>/);

    const csv = await a.get('/admin/audit.csv?from=2026-11-02&to=2026-11-05');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="?audit-log-2026-11-05\.csv/);
    const rows = parse(csv.text) as string[][];
    expect(rows[0]).toEqual(['When', 'Who', 'User id', 'Kind', 'Id', 'Name', 'Action', 'Changes']);
    expect(rows).toHaveLength(1 + 57);
    expect(rows[1]).toEqual(['2026-11-05 09:00', 'Root Admin', String(root.id), 'Mailbox', '9', 'Billing, "main" <bill@desk.test>', 'Created', 'name: — → Billing']);
    expect(rows[2]).toEqual(['2026-11-05 09:00', 'System', '', 'Person', String(root.id), 'Root Admin <root.admin@desk.test>', 'Created', 'name: — → Root Admin\nrole: — → admin']);
    expect(rows[57]).toEqual(['2026-11-02 09:00', 'Olga Smirnova', String(boss.id), 'Component', '1', 'Queue 1', 'Changed', 'name: Old 1 → Queue 1']);
    const filtered = parse((await a.get('/admin/audit.csv?kind=component&q=queue+5')).text) as string[][];
    expect(filtered.slice(1).map((r) => r[5])).toEqual(['Queue 55', 'Queue 54', 'Queue 53', 'Queue 52', 'Queue 51', 'Queue 50', 'Queue 5']);

    // in Russian too
    await a.post('/profile', { name: 'Root Admin', locale: 'ru', timeZone: 'UTC', available: 'on' });
    const ru = await a.get('/admin/audit?kind=mailbox');
    expect(ru.text).toContain('Журнал аудита');
    expect(ru.text).toContain('Почтовый ящик');
  });

  it('is for admins only: managers and agents get no page, no CSV and no link', async () => {
    const boss = await desk.person('Olga Smirnova', 'manager');
    const m = await desk.signIn(boss);
    expect((await m.get('/admin/audit')).status).toBe(403);
    expect((await m.get('/admin/audit.csv')).status).toBe(403);
    expect((await m.get('/tickets')).text).not.toContain('href="/admin/audit"');
  });
});
