// The relevance test set: a desk's worth of tickets in Russian and English, and the searches a
// person types with the ticket each must find first (and the ones it must find at all), on both
// engines; then knowledge-base articles, and the article each search must find first (by staff,
// and by a requester, who never finds an internal or draft one). The right ticket is the one a person means: its subject is about it, the words are in
// it in other forms than typed, the others only mention a word in passing. Older tickets that match
// better must still come before newer ones that merely mention the words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { createTicket } from '../actions/tickets.ts';
import { buildServices, type Services } from '../services.ts';
import { insertKbArticle, listKbArticles } from './kb.ts';
import { searchTicketsRanked } from './search.ts';

type Doc = { key: string; subject: string; body: string };

// the ones a search must find: written first, so that noise written later is newer
const DOCS: Doc[] = [
  { key: 'printer-ru', subject: 'Принтер в бухгалтерии не печатает', body: 'Принтер HP на втором этаже перестал печатать: задания висят в очереди печати, на экране принтера ошибка замятия бумаги, хотя бумаги внутри нет.' },
  { key: 'password-ru', subject: 'Забыл пароль от учётной записи', body: 'Не могу войти в учётную запись: пароль не подходит, после трёх попыток учётная запись заблокирована. Прошу сбросить пароль.' },
  { key: 'vpn-ru', subject: 'Не подключается VPN из дома', body: 'При подключении к VPN клиент пишет «превышено время ожидания». Вчера подключение работало, сегодня подключиться не получается.' },
  { key: '1c-ru', subject: 'Ошибка при проведении накладной в 1С', body: 'При проведении накладных на складе 1С выдаёт ошибку «Неверный документ». Ошибки начались после обновления конфигурации.' },
  { key: 'mailbox-ru', subject: 'Переполнен почтовый ящик', body: 'Почта не приходит: почтовый ящик переполнен, письма с вложениями возвращаются отправителям. Можно ли увеличить ящик?' },
  { key: 'scanner-ru', subject: 'Сканер не сохраняет в сетевую папку', body: 'Сканер МФУ перестал сохранять сканы в сетевую папку \\\\fs01\\scan: папка недоступна, хотя с компьютера в папку заходит.' },
  { key: 'printer-en', subject: 'Printer on the 3rd floor is not printing', body: 'The printer shows a paper jam but there is no paper stuck; print jobs pile up in the queue and nothing is printed.' },
  { key: 'password-en', subject: 'Locked out of my account after a password reset', body: 'I reset my password this morning and now my account is locked. Every attempt to sign in says the password is wrong.' },
  { key: 'vpn-en', subject: 'VPN connection drops every few minutes', body: 'Working from home the VPN connection drops every few minutes and I have to connect again; colleagues on the same VPN are fine.' },
  { key: 'outlook-en', subject: 'Outlook keeps asking for credentials', body: 'Since the update Outlook asks for my credentials every time it starts; the mailbox does not sync until I type them again.' },
  { key: 'laptop-en', subject: 'New laptop for the new accountant', body: 'We need a laptop set up for the accountant who starts on Monday: 1C client, VPN, Outlook and the shared folders.' },
  { key: 'backup-ru', subject: 'Резервное копирование базы не выполняется', body: 'Ночное резервное копирование базы 1С третий день завершается ошибкой: на диске резервных копий нет места.' },
];

// tickets that mention the same words in passing: newer, so a search by date would put them first
const NOISE: Doc[] = [
  { key: 'n1', subject: 'Заказ картриджей', body: 'Закажите, пожалуйста, картриджи для принтера и бумагу; пароль от портала поставщика у Анны.' },
  { key: 'n2', subject: 'Переезд отдела', body: 'В пятницу отдел переезжает на третий этаж: нужно перенести компьютеры, принтер и сканер, подключить сеть.' },
  { key: 'n3', subject: 'Доступ к порталу', body: 'Прошу дать доступ к порталу закупок. VPN у меня есть, учётная запись тоже.' },
  { key: 'n4', subject: 'Toner order', body: 'Please order toner for the printer in the meeting room and a spare for the accounting printer.' },
  { key: 'n5', subject: 'Office move on Friday', body: 'Desks, a printer, the VPN router and the laptop dock move to room 301 on Friday; please check the network.' },
  { key: 'n6', subject: 'Welcome pack', body: 'The welcome pack mentions how to reset a password, connect to the VPN and find the printer.' },
  { key: 'n7', subject: 'Отчёт за месяц', body: 'Отчёт о работе: 12 заявок про принтеры, 5 про пароли, 3 про VPN, 2 про 1С и накладные.' },
  { key: 'n8', subject: 'Monthly report', body: 'This month: printer issues 12, password resets 5, VPN 3, Outlook 2, mailbox quota 1.' },
];

// [what a person types, the ticket it must find first (or one of them), tickets it must find as well]
const QUERIES: [string, string | string[], string[]?][] = [
  ['принтер не печатает', 'printer-ru'],
  ['принтеры не печатают', 'printer-ru'],
  ['ошибка замятия бумаги', 'printer-ru'],
  ['забыл пароль', 'password-ru'],
  ['учетная запись заблокирована', 'password-ru'],
  ['сбросить пароля', 'password-ru'],
  ['vpn подключение', 'vpn-ru'],
  ['не подключается впн OR vpn', 'vpn-ru'],
  ['накладные 1С ошибки', '1c-ru'],
  ['ошибка проведения накладной', '1c-ru'],
  ['почтовые ящики переполнены', 'mailbox-ru'],
  ['сканер сетевая папка', 'scanner-ru'],
  ['сканы в папке', 'scanner-ru'],
  ['резервная копия базы', 'backup-ru'],
  ['printer not printing', 'printer-en'],
  ['printers jammed', 'printer-en'],
  ['"paper jam"', 'printer-en'],
  ['locked account', 'password-en'],
  ['password resets', 'password-en'],
  ['vpn drops', 'vpn-en'],
  ['vpn connections', 'vpn-en'],
  ['vpn', ['vpn-en', 'vpn-ru'], ['vpn-en', 'vpn-ru', 'n3', 'n5', 'n6', 'n7', 'n8']],
  ['outlook credentials', 'outlook-en'],
  ['laptop accountant', 'laptop-en'],
  ['printer -toner', 'printer-en'],
];

describe('search relevance (both languages)', () => {
  let deps: TestDeps;
  let s: Services;
  const ids = new Map<number, string>();

  beforeAll(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    for (const d of [...DOCS, ...NOISE]) {
      deps.clock.advance(3_600_000);
      const t = await createTicket(s.ctx, { kind: 'system' }, { subject: d.subject, body: d.body, requesterEmail: 'anna@client.example' });
      ids.set(t.id, d.key);
    }
  }, 60_000);
  afterAll(() => deps.close());

  it.each(QUERIES)('%j finds %s first', async (query, first, also = []) => {
    const page = await searchTicketsRanked(deps.db, query, {}, 0, { limit: 10 });
    const found = page.hits.map((h) => ids.get(h.ticket.id));
    expect([first].flat(), `${query}: ${found.join(', ')}`).toContain(found[0]);
    for (const key of also) expect(found, query).toContain(key);
  });

  it('pages through the ranking without repeats, the tickets about it before those that mention it', async () => {
    const all: number[] = [];
    for (let offset: number | null = 0; offset !== null; ) {
      const page: Awaited<ReturnType<typeof searchTicketsRanked>> = await searchTicketsRanked(deps.db, 'принтер OR printer', {}, offset, { limit: 3 });
      all.push(...page.hits.map((h) => h.ticket.id));
      offset = page.next;
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all.map((id) => ids.get(id)).slice(0, 2).sort()).toEqual(['printer-en', 'printer-ru']);
    expect(all.map((id) => ids.get(id))).toEqual(expect.arrayContaining(['n1', 'n2', 'n4', 'n5', 'n6', 'n7', 'n8']));
  });
});

// articles: the one about it, and others that mention its words in passing (newer, so a list by date puts them first)
const ARTICLES: (Doc & { locale: 'en' | 'ru'; visibility?: 'internal'; draft?: boolean })[] = [
  { key: 'a-printer-ru', locale: 'ru', subject: 'Принтер не печатает: что проверить', body: 'Если принтер не печатает, проверьте бумагу в лотке, очередь печати и нет ли ошибки замятия.' },
  { key: 'a-vpn-ru', locale: 'ru', subject: 'Как подключиться к VPN из дома', body: 'Установите клиент VPN с портала, войдите с учётной записью домена; при ошибке подключения перезапустите клиент.' },
  { key: 'a-password-en', locale: 'en', subject: 'Reset your password', body: 'Use the self-service page to reset a forgotten password; an account locked after wrong passwords unlocks in 15 minutes.' },
  { key: 'a-scanner-en', locale: 'en', subject: 'Scanning to a network folder', body: 'The scanner saves scans to \\\\fs01\\scan; if the folder is unavailable, check that the share is reachable.' },
  { key: 'a-vpn-internal', locale: 'en', visibility: 'internal', subject: 'VPN gateway maintenance', body: 'Internal: how engineers restart the VPN gateway and rotate its certificates.' },
  { key: 'a-printer-draft', locale: 'ru', draft: true, subject: 'Принтеры: черновик', body: 'Черновик про принтеры и печать.' },
  { key: 'a-n1', locale: 'ru', subject: 'Новым сотрудникам', body: 'Ваш принтер, VPN, пароль и почта: всё о первом дне.' },
  { key: 'a-n2', locale: 'en', subject: 'Office equipment', body: 'Each floor has a printer and a scanner; the VPN is for working from home; reset a password on the portal.' },
];

// [what is typed, who reads, the article it must find first, articles it must never find]
const ARTICLE_QUERIES: [string, 'public' | 'all', string, string[]][] = [
  ['принтер не печатает', 'public', 'a-printer-ru', ['a-printer-draft']],
  ['принтеры не печатают', 'public', 'a-printer-ru', ['a-printer-draft']],
  ['подключение vpn', 'public', 'a-vpn-ru', ['a-vpn-internal']],
  ['vpn', 'public', 'a-vpn-ru', ['a-vpn-internal']],
  ['vpn gateway', 'all', 'a-vpn-internal', []],
  ['forgotten passwords', 'public', 'a-password-en', []],
  ['locked accounts', 'public', 'a-password-en', []],
  ['scans network folders', 'public', 'a-scanner-en', []],
  ['scanner -printer', 'public', 'a-scanner-en', ['a-n2']],
  ['ошибки подключения', 'public', 'a-vpn-ru', ['a-vpn-internal']],
];

describe('knowledge-base search relevance (both languages)', () => {
  let deps: TestDeps;
  const keys = new Map<number, string>();

  beforeAll(async () => {
    deps = await makeTestDeps();
    let at = deps.clock.now();
    for (const a of ARTICLES) {
      const row = await insertKbArticle(deps.db, {
        title: a.subject, body: a.body, locale: a.locale, visibility: a.visibility ?? 'public', status: a.draft ? 'draft' : 'published',
      }, (at += 3_600_000));
      keys.set(row.id, a.key);
    }
  });
  afterAll(() => deps.close());

  it.each(ARTICLE_QUERIES)('%j (%s) finds %s first', async (query, access, first, never) => {
    const found = (await listKbArticles(deps.db, { access, text: query, limit: 10 })).map((a) => keys.get(a.id));
    expect(found[0], `${query}: ${found.join(', ')}`).toBe(first);
    for (const key of never) expect(found, query).not.toContain(key);
  });
});
