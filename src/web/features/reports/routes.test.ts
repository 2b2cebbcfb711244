// A report registered through the services' option (not the registry's list) gets its page (its
// view and strings read from its own folder), its CSV download and its Admin menu link for the
// roles its permission names; others get 403.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeTestDeps, type TestDeps } from '../../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../../test/helpers/web.ts';
import { REPORTS } from '../../../reports/index.ts';
import { defineReport } from '../../../reports/report.ts';
import { buildServices } from '../../../services.ts';
import { updateUser } from '../../../store/users.ts';
import { readXlsx } from '../../../../test/helpers/xlsx.ts';

// a report folder outside src/reports: its view and its strings in both languages
const folder = mkdtempSync(path.join(tmpdir(), 'tiny-report-'));
writeFileSync(path.join(folder, 'view.hbs'), '<p id="tiny">{{t "reports.tiny.says"}}: {{n}} in {{viewer}}</p>\n');
writeFileSync(path.join(folder, 'strings.en.json'), JSON.stringify({ title: 'Tiny sums', says: 'Tiny report', columns: { n: 'n', subject: 'subject', spent: 'Spent' } }));
writeFileSync(path.join(folder, 'strings.ru.json'), JSON.stringify({ title: 'Мелкие суммы', says: 'Крошечный отчёт', columns: { n: 'n', subject: 'тема', spent: 'Затрачено' } }));

// admins only (unlike the contracts report), so the link and the refusal follow the report's own permission
const tinyReport = defineReport({
  id: 'tiny',
  path: '/reports/tiny',
  permission: 'sla.manage',
  folder,
  filters: z.object({ n: z.coerce.number().int().min(1).default(1) }),
  load: (ctx, { n }) => ({ n, viewer: ctx.viewer.locale }),
  table: (_ctx, { n }) => ({
    columns: [{ key: 'n', kind: 'count' }, { key: 'subject', kind: 'text' }, { key: 'spent', kind: 'minutes' }],
    rows: [{ cells: { n, subject: '=HYPERLINK("http://evil.example")', spent: 90 } }, { cells: { n: n + 1, subject: 'Printer, jammed', spent: 20 } }],
  }),
});

describe('a report added by registration', () => {
  let deps: TestDeps;
  let srv: TestServer;
  const as: Record<'admin' | 'manager' | 'agent', Browser> = {} as never;

  beforeAll(async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps, buildServices(deps, { reports: [...REPORTS, tinyReport] }));
    for (const role of ['admin', 'manager', 'agent'] as const) {
      await addUser(srv.services, role);
      as[role] = new Browser(srv.url);
      await as[role].login(`${role}@desk.test`, TEST_PASSWORD);
    }
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('has a page with its filters from the query string, and refuses a filter its schema refuses', async () => {
    const page = await as.admin.get('/reports/tiny?n=3');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<p id="tiny">Tiny report: 3 in en</p>');
    expect((await as.admin.get('/reports/tiny')).text).toContain('Tiny report: 1 in en');
    expect((await as.admin.get('/reports/tiny?n=0')).status).toBe(422);
  });

  it('speaks the viewer’s language with the strings from its folder, in the page and the menu', async () => {
    const ru = await addUser(srv.services, 'admin', 'admin-ru@desk.test', 'Админ');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const b = new Browser(srv.url);
    await b.login('admin-ru@desk.test', TEST_PASSWORD);
    const page = await b.get('/reports/tiny?n=2');
    expect(page.text).toContain('<p id="tiny">Крошечный отчёт: 2 in ru</p>');
    expect(page.text).toContain('<a href="/reports/tiny" aria-current="page">Мелкие суммы</a>');
    // the registry's report keeps its own strings beside it
    expect(page.text).toContain('<a href="/reports/contracts" >Договоры</a>');
  });

  it('offers its CSV download with the same filters, formulas defused, hours as numbers', async () => {
    const res = await as.admin.get('/reports/tiny.csv?n=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?tiny-\d{4}-\d\d-\d\d\.csv"?$/);
    expect(res.text).toBe('n,subject,"Spent, h"\n2,"\'=HYPERLINK(""http://evil.example"")",1.5\n3,"Printer, jammed",0.33\n');
  });

  it('offers the same rows as an XLSX workbook', async () => {
    const res = await as.admin.getBytes('/reports/tiny.xlsx?n=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const rows = await readXlsx(res.body);
    expect(rows).toEqual([['n', 'subject', 'Spent, h'], [2, '\'=HYPERLINK("http://evil.example")', 1.5], [3, 'Printer, jammed', 0.33]]);
  });

  it('links it in the Admin menu for the roles its permission names only, and refuses the others', async () => {
    expect((await as.admin.get('/tickets')).text).toContain('<a href="/reports/tiny" >Tiny sums</a>');
    for (const role of ['manager', 'agent'] as const) {
      expect((await as[role].get('/tickets')).text, role).not.toContain('href="/reports/tiny"');
      expect((await as[role].get('/reports/tiny')).status, role).toBe(403);
      expect((await as[role].get('/reports/tiny.csv')).status, role).toBe(403);
      expect((await as[role].get('/reports/tiny.xlsx')).status, role).toBe(403);
    }
    // the registry's reports are still there beside it
    expect((await as.manager.get('/tickets')).text).toContain('href="/reports/contracts"');
    expect((await as.manager.get('/reports/contracts')).status).toBe(200);
  });
});
