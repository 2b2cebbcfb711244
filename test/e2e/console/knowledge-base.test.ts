// The knowledge base in the console, as a browser without JavaScript uses it: an agent writes a
// draft (Markdown, shown sanitised), saves it again (history), a manager publishes it, staff find it
// by another word form, vote, link the Russian version; a resolved ticket makes a draft.
import { describe, expect, it } from 'vitest';
import { useTestDesk } from '../../helpers/test-desk.ts';
import { component, ticket } from '../../helpers/factories.ts';
import { listKbCategories } from '../../../src/store/kb.ts';
import { replyToTicket } from '../../../src/actions/tickets.ts';
import { updateTicket } from '../../../src/store/tickets.ts';

describe('knowledge base pages', () => {
  const desk = useTestDesk();
  const idOf = (location: string | null) => Number(/^\/kb\/(\d+)/.exec(location ?? '')?.[1]);

  it('write, save again, publish, search by word form, vote and link a translation', async () => {
    const agent = await desk.person('Dmitry Ivanov');
    const boss = await desk.person('Olga Smirnova', 'manager');
    const b = await desk.signIn(agent);
    expect((await b.get('/kb')).text).toContain('No articles found.');
    await b.get('/kb/new');
    const empty = await b.post('/kb', { title: '', body: 'x', visibility: 'public', locale: 'en' });
    expect(empty.status).toBe(422);
    const made = await b.post('/kb', { title: 'Printer offline', body: '# Steps\n\n- Switch the **printer** off\n\n<script>alert(1)</script>', visibility: 'public', locale: 'en' });
    expect(made.status).toBe(303);
    const id = idOf(made.location);
    const page = (await b.get(`/kb/${id}`)).text;
    expect(page).toContain('<h1>Steps</h1>');
    expect(page).toContain('<li>Switch the <strong>printer</strong> off</li>');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('Draft');
    // an agent may not publish
    expect((await b.post(`/kb/${id}/publish`, { publish: '1' })).status).toBe(403);
    await b.get(`/kb/${id}/edit`);
    expect((await b.post(`/kb/${id}`, { title: 'Printer offline', body: 'Switch the printers off and on.', visibility: 'public', locale: 'en' })).status).toBe(303);
    const history = (await b.get(`/kb/${id}`)).text;
    expect(history).toContain('Switch the printers off and on.');
    expect(history.match(/<li>\s*<details>/g)).toHaveLength(2);

    const m = await desk.signIn(boss);
    await m.get(`/kb/${id}`);
    expect((await m.post(`/kb/${id}/publish`, { publish: '1' })).status).toBe(303);
    expect((await m.get(`/kb/${id}`)).text).toContain('Published');
    expect((await m.post(`/kb/${id}/vote`, { helpful: 'yes' })).status).toBe(303);
    expect((await b.post(`/kb/${id}/vote`, { helpful: 'no' })).status).toBe(303);
    const list = (await m.get('/kb?q=printer')).text;
    expect(list).toContain(`href="/kb/${id}"`);
    expect(list).toContain('1 yes · 1 no');
    expect((await m.get('/kb?q=scanner')).text).toContain('No articles found.');

    // the Russian version, linked as its translation, found by another word form
    await b.get('/kb/new');
    const ru = idOf((await b.post('/kb', { title: 'Принтер не в сети', body: 'Выключите принтер.', visibility: 'internal', locale: 'ru' })).location);
    expect((await b.get('/kb?q=принтера')).text).toContain(`href="/kb/${ru}"`);
    await b.get(`/kb/${ru}`);
    expect((await b.post(`/kb/${ru}/translation`, { translationId: String(id) })).status).toBe(303);
    expect((await b.get(`/kb/${id}`)).text).toContain(`<a href="/kb/${ru}" hreflang="ru">Принтер не в сети</a>`);

    // unlinked again from the draft's page; then the agent deletes the draft, not the published one
    expect((await b.get(`/kb/${ru}`)).text).toContain(`action="/kb/${ru}/translation/unlink"`);
    expect((await b.post(`/kb/${ru}/translation/unlink`, {})).status).toBe(303);
    expect((await b.get(`/kb/${id}`)).text).not.toContain(`href="/kb/${ru}"`);
    expect((await b.get(`/kb/${id}`)).text).not.toContain(`action="/kb/${id}/delete"`);
    expect((await b.post(`/kb/${id}/delete`, {})).status).toBe(403);
    const gone = await b.post(`/kb/${ru}/delete`, {});
    expect(gone.location).toBe('/kb');
    expect((await b.get(`/kb/${ru}`)).status).toBe(404);
    expect((await b.get('/kb?q=принтера')).text).not.toContain(`href="/kb/${ru}"`);
    expect((await m.get(`/kb/${id}`)).text).toContain(`action="/kb/${id}/delete"`);
  });

  it('managers add categories tied to components; the list filters by category', async () => {
    const boss = await desk.person('Olga Smirnova', 'manager');
    const printers = await component(desk.srv.services, 'Printers', []);
    const m = await desk.signIn(boss);
    const list = (await m.get('/kb')).text;
    expect(list).toContain(`<option value="${printers.id}">Printers</option>`);
    expect((await m.post('/kb/categories', { name: 'Printing', componentId: String(printers.id) })).status).toBe(303);
    expect((await m.post('/kb/categories', { name: 'Printing' })).status).toBe(303); // refused: the name exists (said in the flash)
    const cat = (await listKbCategories(desk.deps.db));
    expect(cat.map((c) => [c.name, c.componentId])).toEqual([['Printing', printers.id]]);
    await m.get('/kb/new');
    const inCat = idOf((await m.post('/kb', { title: 'Toner', body: 'Shake it.', categoryId: String(cat[0].id), visibility: 'internal', locale: 'en' })).location);
    const other = idOf((await m.post('/kb', { title: 'Wi-Fi', body: 'Guest network.', visibility: 'internal', locale: 'en' })).location);
    const filtered = (await m.get(`/kb?category=${cat[0].id}`)).text;
    expect(filtered).toContain(`href="/kb/${inCat}"`);
    expect(filtered).not.toContain(`href="/kb/${other}"`);
    expect(filtered).toContain('Printing (Printers)');
  });

  it('managers rename a category, tie it to another component, and delete it by moving its articles', async () => {
    const boss = await desk.person('Olga Smirnova', 'manager');
    const agent = await desk.person('Dmitry Ivanov');
    const printers = await component(desk.srv.services, 'Printers', []);
    const m = await desk.signIn(boss);
    await m.get('/kb');
    await m.post('/kb/categories', { name: 'Printng' });
    await m.post('/kb/categories', { name: 'Hardware' });
    const [hardware, printing] = await listKbCategories(desk.deps.db);
    expect((await m.get('/kb')).text).toContain(`action="/kb/categories/${printing.id}/delete"`);
    expect((await (await desk.signIn(agent)).get('/kb')).text).not.toContain(`action="/kb/categories/${printing.id}"`);
    expect((await m.post(`/kb/categories/${printing.id}`, { name: 'Printing', componentId: String(printers.id) })).status).toBe(303);
    const list = (await m.get('/kb')).text;
    expect(list).toContain('Category saved.');
    expect(list).toContain(`<option value="${printers.id}" selected>Printers</option>`);
    expect(list).toContain('Printing (Printers)');
    await m.get('/kb/new');
    const inCat = idOf((await m.post('/kb', { title: 'Toner', body: 'Shake it.', categoryId: String(printing.id), visibility: 'internal', locale: 'en' })).location);
    const withArticle = (await m.get('/kb')).text;
    expect(withArticle).toContain('Its 1 article moves to');
    expect(withArticle).toContain(`<option value="${hardware.id}">Hardware</option>`);
    // without a category to move to, nothing is lost: refused, the category and its article stay
    expect((await m.post(`/kb/categories/${printing.id}/delete`, {})).status).toBe(303);
    expect((await m.get('/kb')).text).toContain('Choose the category its articles move to');
    expect((await m.get(`/kb?category=${printing.id}`)).text).toContain(`href="/kb/${inCat}"`);
    expect((await m.post(`/kb/categories/${printing.id}/delete`, { moveTo: String(hardware.id) })).status).toBe(303);
    expect((await m.get('/kb')).text).toContain('Category deleted.');
    expect((await listKbCategories(desk.deps.db)).map((c) => c.name)).toEqual(['Hardware']);
    expect((await m.get(`/kb?category=${hardware.id}`)).text).toContain(`href="/kb/${inCat}"`);
    expect((await m.post(`/kb/categories/${printing.id}/delete`, { moveTo: String(hardware.id) })).status).toBe(404);
  });

  it('managers put the categories in their own order, which every list of them keeps; a new one goes last', async () => {
    const boss = await desk.person('Olga Smirnova', 'manager');
    const agent = await desk.person('Dmitry Ivanov');
    const m = await desk.signIn(boss);
    await m.get('/kb');
    for (const name of ['Printers', 'Accounts', 'Mail']) await m.post('/kb/categories', { name });
    const names = async () => (await listKbCategories(desk.deps.db)).map((c) => c.name);
    expect(await names()).toEqual(['Accounts', 'Mail', 'Printers']); // by name until someone orders them
    const [accounts, mail, printers] = await listKbCategories(desk.deps.db);
    const page = (await m.get('/kb')).text;
    expect(page).toContain('aria-label="Move Printers up"');
    expect(page).toMatch(/value="up" disabled aria-label="Move Accounts up"/);
    expect(page).toMatch(/value="down" disabled aria-label="Move Printers down"/);

    expect((await m.post(`/kb/categories/${printers.id}/move`, { direction: 'up' })).status).toBe(303);
    expect((await m.get('/kb')).text).toContain('Category moved.');
    expect(await names()).toEqual(['Accounts', 'Printers', 'Mail']);
    await m.post(`/kb/categories/${printers.id}/move`, { direction: 'up' });
    await m.post(`/kb/categories/${accounts.id}/move`, { direction: 'down' }); // Printers, Mail, Accounts
    await m.post(`/kb/categories/${accounts.id}/move`, { direction: 'down' }); // already last: stays
    expect(await names()).toEqual(['Printers', 'Mail', 'Accounts']);
    await m.post('/kb/categories', { name: 'Access' });
    expect(await names()).toEqual(['Printers', 'Mail', 'Accounts', 'Access']);
    // the filter list and the article form follow the same order
    const list = (await m.get('/kb')).text;
    expect(list.indexOf(`<option value="${printers.id}" >Printers</option>`)).toBeGreaterThan(0);
    expect(list.indexOf(`<option value="${printers.id}" >Printers</option>`)).toBeLessThan(list.indexOf(`<option value="${mail.id}" >Mail</option>`));
    const form = (await m.get('/kb/new')).text;
    expect(form.indexOf(`<option value="${mail.id}"`)).toBeLessThan(form.indexOf(`<option value="${accounts.id}"`));

    const a = await desk.signIn(agent);
    await a.get('/kb');
    expect((await a.post(`/kb/categories/${mail.id}/move`, { direction: 'up' })).status).toBe(403);
    expect(await names()).toEqual(['Printers', 'Mail', 'Accounts', 'Access']);
    expect((await m.post('/kb/categories/99999/move', { direction: 'up' })).status).toBe(404);
  });

  it('shows found articles with their text around the searched words, escaped, the words marked (the list and the reply box)', async () => {
    const agent = await desk.person('Dmitry Ivanov');
    const b = await desk.signIn(agent);
    await b.get('/kb/new');
    const id = idOf((await b.post('/kb', { title: 'Toner', body: 'Shake the <b>cartridge</b> & **printers** restart.', visibility: 'internal', locale: 'en' })).location);
    const marked = 'Shake the &lt;b&gt;cartridge&lt;/b&gt; &amp; <mark>printers</mark> restart.';
    const list = (await b.get('/kb?q=printer')).text;
    expect(list).toContain(`href="/kb/${id}"`);
    expect(list).toContain(`<p class="snippet">${marked}</p>`);
    expect((await b.get('/kb')).text).not.toContain('class="snippet"');
    const t = await ticket(desk.srv.services, agent, { subject: 'Toner low' });
    await b.get(`/tickets/${t.number}`);
    expect((await b.post(`/tickets/${t.number}/kb`, { kbq: 'printer' })).text).toContain(`<p class="snippet small">${marked}</p>`);
  });

  it('finds articles from the reply box and puts their text after what was typed', async () => {
    const agent = await desk.person('Dmitry Ivanov');
    const boss = await desk.person('Olga Smirnova', 'manager');
    const s = desk.srv.services;
    const m = await desk.signIn(boss);
    await m.get('/kb/new');
    const id = idOf((await m.post('/kb', { title: 'Сброс пароля', body: 'Откройте портал и нажмите «Забыли пароль».', visibility: 'public', locale: 'ru' })).location);
    const t = await ticket(s, boss, { subject: 'Не могу войти' });
    const b = await desk.signIn(agent);
    await b.get(`/tickets/${t.number}`);
    // posted, not in the address: the draft and the form's token stay out of the history and the logs
    const find = (form: Record<string, string>) => b.post(`/tickets/${t.number}/kb`, form);
    const found = (await find({ kbq: 'пароли', body: 'Здравствуйте!' })).text;
    expect(found).toContain(`<a href="/kb/${id}">Сброс пароля</a>`);
    expect(found).toContain(`name="article" value="${id}"`);
    expect(found).toContain('formmethod="post" formenctype="application/x-www-form-urlencoded"');
    expect(found).toContain('>Здравствуйте!</textarea>');
    expect((await find({ kbq: 'принтер' })).text).toContain('No articles found.');
    const inserted = (await find({ article: String(id), body: 'Здравствуйте!' })).text;
    expect(inserted).toContain('>Здравствуйте!\n\nОткройте портал и нажмите «Забыли пароль».</textarea>');
    expect((await find({ article: '99999' })).status).toBe(404);
    // a public article, once published, also goes in as a link requesters open in the portal
    expect(found).not.toContain(`name="link" value="${id}"`);
    await m.get(`/kb/${id}`);
    expect((await m.post(`/kb/${id}/publish`, { publish: '1' })).status).toBe(303);
    expect((await find({ kbq: 'пароли' })).text).toContain(`name="link" value="${id}"`);
    const linked = (await find({ link: String(id), body: 'Здравствуйте!' })).text;
    expect(linked).toMatch(new RegExp(`>Здравствуйте!\\n\\nСброс пароля: https?://[^<\\s]+/portal/kb/${id}</textarea>`));
    expect((await b.post(`/tickets/${t.number}/kb`, { kbq: 'пароли' }, { csrf: false })).status).toBe(403);
  });

  it('makes a draft from a resolved ticket', async () => {
    const agent = await desk.person('Dmitry Ivanov');
    const s = desk.srv.services;
    const t = await ticket(s, agent, { subject: 'VPN drops every hour' });
    await replyToTicket(s.ctx, { kind: 'user', user: agent }, { ticketId: t.id, body: 'Update the VPN client to 5.2.' });
    const b = await desk.signIn(agent);
    expect((await b.get(`/tickets/${t.number}`)).text).not.toContain('Make an article from this resolution');
    await updateTicket(desk.deps.db, t.id, { status: 'resolved', resolutionNote: 'The old client timed out.' }, desk.deps.clock.now());
    expect((await b.get(`/tickets/${t.number}`)).text).toContain('Make an article from this resolution');
    const r = await b.post(`/tickets/${t.number}/kb-article`, {});
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^\/kb\/\d+\/edit$/);
    const form = (await b.get(r.location!)).text;
    expect(form).toContain('value="VPN drops every hour"');
    expect(form).toContain('The old client timed out.\n\nUpdate the VPN client to 5.2.');
  });

  it('puts the draft from a resolved ticket in the category tied to its component', async () => {
    const agent = await desk.person('Dmitry Ivanov');
    const boss = await desk.person('Olga Smirnova', 'manager');
    const s = desk.srv.services;
    const vpn = await component(s, 'VPN', []);
    const m = await desk.signIn(boss);
    await m.get('/kb');
    await m.post('/kb/categories', { name: 'Remote access', componentId: String(vpn.id) });
    const [cat] = await listKbCategories(desk.deps.db);
    const t = await ticket(s, agent, { subject: 'VPN drops every hour', componentId: vpn.id });
    await updateTicket(desk.deps.db, t.id, { status: 'resolved', resolutionNote: 'The old client timed out.' }, desk.deps.clock.now());
    const b = await desk.signIn(agent);
    await b.get(`/tickets/${t.number}`);
    const r = await b.post(`/tickets/${t.number}/kb-article`, {});
    expect((await b.get(r.location!)).text).toContain(`<option value="${cat.id}" selected>Remote access</option>`);
  });
});
