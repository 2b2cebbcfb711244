// The knowledge base in the requester portal: the articles that match a request as it is typed
// (by word forms; public and published only), "this solved my problem" counted as a deflected
// request with nothing sent, reading and voting, and reading without sign-in only when the desk
// allows it (KB_PUBLIC).
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, type TestServer } from '../../helpers/web.ts';
import { createKbArticle, createKbCategory, editKbArticle, linkKbTranslation, moveKbCategory, publishKbArticle } from '../../../src/actions/kb.ts';
import { resolveTicket } from '../../../src/actions/resolution.ts';
import { addNote, createTicket } from '../../../src/actions/tickets.ts';
import { makePortalToken } from '../../../src/domain/portal-link.ts';
import { insertContact, type Contact } from '../../../src/store/contacts.ts';
import { getKbArticle, kbFigures } from '../../../src/store/kb.ts';
import { getTicket } from '../../../src/store/tickets.ts';

describe('the knowledge base in the requester portal', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let anna: Contact;
  let ids: { printer: number; internal: number; draft: number; vpn: number };

  const start = async (env: Record<string, string> = {}) => {
    deps = await makeTestDeps({ PUBLIC_URL: 'https://help.desk.example', ...env });
    srv = await startTestServer(deps);
    anna = await insertContact(deps.db, { name: 'Anna', emails: ['anna@romashka.example'] }, deps.clock.now());
    const ctx = srv.services.ctx;
    const boss = await addUser(srv.services, 'manager', 'olga@desk.example', 'Olga');
    const article = async (title: string, body: string, visibility: 'public' | 'internal', publish = true) => {
      const a = await createKbArticle(ctx, boss, { title, body, visibility, locale: 'ru' });
      if (publish) await publishKbArticle(ctx, boss, a.id, true);
      return a.id;
    };
    ids = {
      printer: await article('Принтер не печатает', 'Откройте лоток и уберите замятую бумагу.', 'public'),
      internal: await article('Принтер: сервисный пароль', 'Пароль от панели принтера — у инженеров.', 'internal'),
      draft: await article('Принтер: черновик', 'Ещё не готово про принтеры.', 'public', false),
      vpn: await article('VPN не подключается', 'Перезапустите клиент VPN.', 'public'),
    };
  };
  afterEach(async () => {
    await srv?.close();
    deps?.close();
  });

  /** Anna, signed in from her ticket's link. */
  const signedIn = async () => {
    const t = await createTicket(srv.services.ctx, { kind: 'contact', contactId: anna.id }, { subject: 'Monitor', body: 'It flickers', requesterContactId: anna.id });
    const link = `/portal/${makePortalToken(deps.secrets.token, await getTicket(deps.db, t.id), deps.clock.now())}`;
    const b = new Browser(srv.url);
    await b.get(link);
    expect((await b.post(`${link}/sign-in`, {})).status).toBe(303);
    return b;
  };
  const annasTickets = async () => Number((await deps.db.all<{ n: number | string }>(sql`select count(*) as n from tickets where requester_id = ${anna.id}`))[0].n);

  it('suggests the public articles that match a request as it is typed, by word forms; "this solved my problem" counts a deflected request and sends nothing', async () => {
    await start();
    const b = await signedIn();
    const form = (await b.get('/portal/new?lang=en')).text;
    expect(form).toContain('hx-get="/portal/suggestions"');
    expect(form).toContain('<script src="/static/htmx/htmx.min.js" defer></script>');
    const typed = `/portal/suggestions?subject=${encodeURIComponent('Принтеры')}&body=${encodeURIComponent('"не печатают" -ничего status:open')}`;
    // as htmx asks while they type: the suggestions alone, public and published only
    const partial = await b.get(typed, { 'HX-Request': 'true' });
    expect(partial.status).toBe(200);
    expect(partial.text).not.toContain('<html');
    expect(partial.text).toContain(`href="/portal/kb/${ids.printer}?from=new"`);
    for (const hidden of [ids.internal, ids.draft, ids.vpn]) expect(partial.text).not.toContain(`/portal/kb/${hidden}?`);
    expect(partial.text).toContain('Откройте лоток и уберите замятую бумагу.');
    expect((await b.get(`/portal/suggestions?subject=${encodeURIComponent('клавиатура')}`, { 'HX-Request': 'true' })).text).not.toContain('/portal/kb/');
    // without JavaScript the same address is a page of its own
    expect((await b.get(`${typed}&lang=en`)).text).toContain('These articles may answer your request');

    const before = await annasTickets();
    const page = await b.get(`/portal/kb/${ids.printer}?from=new&lang=en`);
    expect(page.text).toContain('This solved my problem');
    expect(page.text).toContain('Откройте лоток');
    const solved = await b.post(`/portal/kb/${ids.printer}/solved`, {});
    expect(solved.status).toBe(303);
    expect(solved.location).toBe('/portal');
    expect((await kbFigures(deps.db, [ids.printer])).get(ids.printer)).toMatchObject({ deflections: 1 });
    expect(await annasTickets()).toBe(before);
    expect((await b.post(`/portal/kb/${ids.internal}/solved`, {})).status).toBe(404);
  });

  it('lists, finds and shows public articles to a signed-in requester, one vote each; not without sign-in', async () => {
    await start();
    const anonymous = new Browser(srv.url);
    expect((await anonymous.get('/portal/kb')).headers.get('location')).toBe('/portal/sign-in');
    expect((await anonymous.get(`/portal/kb/${ids.printer}`)).headers.get('location')).toBe('/portal/sign-in');
    const b = await signedIn();
    const list = (await b.get('/portal/kb?lang=en')).text;
    expect(list).toContain(`href="/portal/kb/${ids.printer}"`);
    expect(list).toContain(`href="/portal/kb/${ids.vpn}"`);
    expect(list).not.toContain(`href="/portal/kb/${ids.internal}"`);
    expect(list).not.toContain(`href="/portal/kb/${ids.draft}"`);
    const found = (await b.get(`/portal/kb?q=${encodeURIComponent('принтера')}`)).text;
    expect(found).toContain(`href="/portal/kb/${ids.printer}"`);
    expect(found).not.toContain(`href="/portal/kb/${ids.vpn}"`);
    // the article's text around the searched word, the word marked
    expect((await b.get(`/portal/kb?q=${encodeURIComponent('бумаги')}`)).text).toContain('<p class="small">Откройте лоток и уберите замятую <mark>бумагу</mark>.</p>');
    for (const hidden of [ids.internal, ids.draft, 99999]) expect((await b.get(`/portal/kb/${hidden}`)).status).toBe(404);

    const page = await b.get(`/portal/kb/${ids.printer}?lang=en`);
    expect(page.text).toContain('Was this article helpful?');
    expect(page.text).not.toContain('This solved my problem');
    expect((await b.post(`/portal/kb/${ids.printer}/vote`, { helpful: 'yes' })).status).toBe(303);
    expect((await b.post(`/portal/kb/${ids.printer}/vote`, { helpful: 'no' })).status).toBe(303);
    expect((await kbFigures(deps.db, [ids.printer])).get(ids.printer)).toMatchObject({ helpful: 0, unhelpful: 1 });
    const [{ views }] = await deps.db.all<{ views: number | string }>(sql`select views from kb_articles where id = ${ids.printer}`);
    // one reading (the refused ones and the votes are not readings)
    expect(Number(views)).toBe(1);
  });

  it('shelves the public articles by category in the desk\'s order, each in the reader\'s language where it has a version in it', async () => {
    await start({ KB_PUBLIC: 'true' });
    const ctx = srv.services.ctx;
    const boss = await addUser(srv.services, 'manager', 'irina@desk.example', 'Irina');
    const vpnCat = await createKbCategory(ctx, boss, { name: 'Remote work' });
    const printCat = await createKbCategory(ctx, boss, { name: 'Printing' });
    const secret = await createKbCategory(ctx, boss, { name: 'Engineers only' });
    await moveKbCategory(ctx, boss, printCat.id, 'up'); // Printing, Remote work, Engineers only
    const put = async (id: number, categoryId: number) => {
      const a = await getKbArticle(deps.db, id);
      await editKbArticle(ctx, boss, id, { title: a.title, body: a.body, categoryId, visibility: a.visibility, locale: a.locale });
    };
    await put(ids.printer, printCat.id);
    await put(ids.vpn, vpnCat.id);
    await put(ids.internal, secret.id);
    const english = await createKbArticle(ctx, boss, { title: 'Printer does not print', body: 'Open the tray and pull out the jammed paper.', visibility: 'public', locale: 'en', categoryId: printCat.id });
    await publishKbArticle(ctx, boss, english.id, true);
    await linkKbTranslation(ctx, boss, english.id, ids.printer);
    const loose = await createKbArticle(ctx, boss, { title: 'Opening hours', body: 'We work 9 to 6.', visibility: 'public', locale: 'en' });
    await publishKbArticle(ctx, boss, loose.id, true);

    const reader = new Browser(srv.url);
    const en = (await reader.get('/portal/kb?lang=en')).text;
    const order = ['Printing', 'Remote work', 'Other articles'].map((h) => en.indexOf(`>${h}</h2>`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(en).not.toContain('Engineers only'); // a category holding nothing a requester may read is not offered
    expect(en).toContain(`href="/portal/kb/${english.id}"`); // the English version to an English reader…
    expect(en).not.toContain(`href="/portal/kb/${ids.printer}"`);
    expect(en).toContain(`<a href="/portal/kb?category=${printCat.id}">Printing</a> <span class="muted small">(1)</span>`);
    expect(en).toContain(`href="/portal/kb/${loose.id}"`);
    const ru = (await reader.get('/portal/kb?lang=ru')).text; // …and the Russian one to a Russian reader
    expect(ru).toContain(`href="/portal/kb/${ids.printer}"`);
    expect(ru).not.toContain(`href="/portal/kb/${english.id}"`);
    expect(ru).toContain('>Другие статьи</h2>');

    const one = await reader.get(`/portal/kb?category=${vpnCat.id}&lang=en`);
    expect(one.text).toContain(`href="/portal/kb/${ids.vpn}"`);
    expect(one.text).not.toContain(`href="/portal/kb/${english.id}"`);
    expect(one.text).toContain(`<a href="/portal/kb?category=${vpnCat.id}" aria-current="page">Remote work</a>`);
    expect(one.text).toContain('<a href="/portal/kb">All articles</a>');
    expect((await reader.get(`/portal/kb?category=${secret.id}`)).status).toBe(404);
    expect((await reader.get('/portal/kb?category=99999')).status).toBe(404);
  });

  it('lets anyone read and vote on public articles when the desk allows it', async () => {
    await start({ KB_PUBLIC: 'true' });
    const reader = new Browser(srv.url);
    const page = await reader.get(`/portal/kb/${ids.printer}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Откройте лоток');
    expect(page.text).not.toContain('Still need help?');
    expect((await reader.get(`/portal/kb/${ids.internal}`)).status).toBe(404);
    await reader.post(`/portal/kb/${ids.printer}/vote`, { helpful: 'yes' });
    await reader.post(`/portal/kb/${ids.printer}/vote`, { helpful: 'yes' });
    const other = new Browser(srv.url);
    await other.get(`/portal/kb/${ids.printer}`);
    await other.post(`/portal/kb/${ids.printer}/vote`, { helpful: 'yes' });
    expect((await kbFigures(deps.db, [ids.printer])).get(ids.printer)).toMatchObject({ helpful: 2, unhelpful: 0 });
    // still nothing a requester has: no request can be sent without signing in
    expect((await reader.get('/portal/new')).headers.get('location')).toBe('/portal/sign-in');
  });

  it('finds a requester’s own requests by word forms (never a note, never another’s), and offers their resolved ones like a new request', async () => {
    await start();
    const ctx = srv.services.ctx;
    const agent = await addUser(srv.services, 'agent', 'ivan@desk.example', 'Ivan');
    const user = { kind: 'user' as const, user: agent };
    const printer = await createTicket(ctx, { kind: 'contact', contactId: anna.id }, { subject: 'Принтер в бухгалтерии', body: 'Принтер <b>мнёт</b> бумагу', requesterContactId: anna.id });
    await addNote(ctx, user, { ticketId: printer.id, body: 'Внутреннее: сервисный код quokka' });
    await resolveTicket(ctx, user, { ticketId: printer.id, note: 'Почистили ролики подачи бумаги' });
    const boris = await insertContact(deps.db, { name: 'Boris', emails: ['boris@elsewhere.example'] }, deps.clock.now());
    const theirs = await createTicket(ctx, { kind: 'contact', contactId: boris.id }, { subject: 'Принтер дома', body: 'Принтер не печатает', requesterContactId: boris.id });
    const b = await signedIn();

    const found = (await b.get(`/portal?q=${encodeURIComponent('принтера')}&lang=en`)).text;
    expect(found).toContain('Requests matching “принтера”');
    expect(found).toContain(`href="/portal/requests/${printer.number}"`);
    expect(found).toContain('<mark>Принтер</mark> в бухгалтерии'); // the subject, the word marked
    expect(found).toContain('<mark>Принтер</mark> &lt;b&gt;мнёт&lt;/b&gt; бумагу'); // the text escaped, then marked
    expect(found).not.toContain(`/portal/requests/${theirs.number}"`);
    expect((await b.get('/portal?q=quokka&lang=en')).text).toContain('None of your requests match.');
    expect((await b.get('/portal?q=quokka&lang=ru')).text).toContain('Подходящих заявок нет.');

    // typing a new request: the public article and her resolved request like it, how it was answered
    const typed = (await b.get(`/portal/suggestions?subject=${encodeURIComponent('Принтеры опять мнут бумагу')}&lang=en`, { 'HX-Request': 'true' })).text;
    expect(typed).toContain(`href="/portal/kb/${ids.printer}?from=new"`);
    expect(typed).toContain('Your resolved requests like this one');
    expect(typed).toContain(`href="/portal/requests/${printer.number}" target="_blank"`);
    expect(typed).toContain('<mark>бумагу</mark>');
    expect(typed).toContain('What we did:</span> Почистили ролики подачи бумаги');
    expect(typed).not.toContain(`/portal/requests/${theirs.number}"`);
    // an open request is not offered as an answer, nor anything to someone not signed in
    const open = (await b.get(`/portal/suggestions?subject=${encodeURIComponent('monitor flickers')}&lang=en`, { 'HX-Request': 'true' })).text;
    expect(open).not.toContain('Your resolved requests like this one');
  });

  it('narrows a requester’s search by status and by day, lists by fields alone newest first, and says what it cannot read', async () => {
    await start();
    const ctx = srv.services.ctx;
    const agent = await addUser(srv.services, 'agent', 'ivan@desk.example', 'Ivan');
    const b = await signedIn(); // her first request: "Monitor", open
    deps.clock.advance(60_000);
    const printer = await createTicket(ctx, { kind: 'contact', contactId: anna.id }, { subject: 'Printer jams', body: 'The printer jams', requesterContactId: anna.id });
    await resolveTicket(ctx, { kind: 'user', user: agent }, { ticketId: printer.id, note: 'Cleaned the rollers' });
    deps.clock.advance(60_000);
    const scanner = await createTicket(ctx, { kind: 'contact', contactId: anna.id }, { subject: 'Scanner and printer offline', body: 'Nothing scans', requesterContactId: anna.id });
    const monitor = Number((await deps.db.all<{ n: number | string }>(sql`select number as n from tickets where subject = 'Monitor'`))[0].n);
    const hrefs = (html: string) => [...html.matchAll(/<a href="\/portal\/requests\/(\d+)"/g)].map((m) => Number(m[1]));
    const section = (html: string) => html.slice(html.indexOf('id="portal-found"'), html.indexOf('id="portal-open-title"'));
    const search = async (q: string, lang = 'en') => (await b.get(`/portal?q=${encodeURIComponent(q)}&lang=${lang}`)).text;

    const help = await search('');
    expect(help).toContain('status:open or status:closed (resolved or closed)');
    expect(await search('', 'ru')).toContain('status:open или status:closed (решённые и закрытые)');
    expect(hrefs(section(await search('status:open')))).toEqual([scanner.number, monitor]);
    expect(hrefs(section(await search('status:closed')))).toEqual([printer.number]);
    expect(hrefs(section(await search('printer status:open')))).toEqual([scanner.number]);
    const today = new Date(deps.clock.now()).toISOString().slice(0, 10);
    const tomorrow = new Date(deps.clock.now() + 86_400_000).toISOString().slice(0, 10);
    expect(hrefs(section(await search(`after:${today} printer OR scanner`)))).toHaveLength(2);
    expect(hrefs(section(await search(`after:${tomorrow}`)))).toEqual([]);
    expect(hrefs(section(await search(`before:${tomorrow} -scanner status:closed "printer jams"`)))).toEqual([printer.number]);
    const refused = await search('printer assignee:me');
    expect(refused).toContain('Not understood here: assignee:me.');
    expect(hrefs(section(refused))).toEqual([]);
    expect(await search('printer assignee:me', 'ru')).toContain('Здесь не понято: assignee:me.');
  });
});
