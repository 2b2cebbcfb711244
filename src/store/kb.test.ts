import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { insertComponent } from './components.ts';
import { MARK_END, MARK_START, snippetOf } from './search.ts';
import { markdownText } from '../domain/markdown.ts';
import {
  countKbArticlesByCategory, deleteKbCategoryRow, listKbCategories, listKbCategoriesOfComponent, moveKbArticlesToCategory, updateKbCategory,
  getKbArticle, incrementKbViews, insertKbArticle, insertKbCategory, insertKbDeflection, insertKbVersion, kbFigures,
  listKbArticles, listKbTranslations, listKbVersions, updateKbArticle, updateKbTranslationGroup, upsertKbVote,
} from './kb.ts';

describe('knowledge base store', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  const article = (title: string, body: string, more: Partial<Parameters<typeof insertKbArticle>[1]> = {}) =>
    insertKbArticle(deps.db, { title, body, status: 'published', visibility: 'public', locale: 'en', ...more }, 1000);

  it('finds articles by word forms in both languages, within what the reader may see', async () => {
    const printer = await article('Принтер не печатает', 'Проверьте бумагу в лотке.', { locale: 'ru' });
    const vpn = await article('VPN drops', 'Reconnect after **printing** stops.', { visibility: 'internal' });
    await article('Ёжик draft', 'Черновик про папку', { status: 'draft' });
    const ids = async (text: string, access: 'public' | 'internal' | 'all') => (await listKbArticles(deps.db, { access, text })).map((a) => a.id);
    expect(await ids('принтера', 'public')).toEqual([printer.id]);
    expect(await ids('принтеры', 'public')).toEqual([printer.id]);
    expect(await ids('printed', 'public')).toEqual([]);
    expect(await ids('printed', 'internal')).toEqual([vpn.id]);
    expect(await ids('папке', 'internal')).toEqual([]);
    expect((await ids('ежик', 'all')).length).toBe(1);
    expect(await ids('принтер OR vpn', 'all')).toHaveLength(2);
    expect(await ids('принт*', 'public')).toEqual([printer.id]);
    expect(await ids('"не печатает"', 'public')).toEqual([printer.id]);
    expect(await ids('vpn -printing', 'internal')).toEqual([]);
    expect(await ids('', 'public')).toEqual([printer.id]);
    // a changed text is searched as changed
    await updateKbArticle(deps.db, printer.id, { body: 'Замените картридж' }, 2000);
    expect(await ids('картриджа', 'public')).toEqual([printer.id]);
    expect(await ids('бумаги', 'public')).toEqual([]);
  });

  it('filters by category and locale, ranks a title match above a text match', async () => {
    const cat = await insertKbCategory(deps.db, { name: 'Printers', componentId: null }, 1);
    const inText = await article('Paper jams', 'The printer jams on thick paper', { categoryId: cat.id });
    const inTitle = await article('Printer offline', 'Turn it off and on');
    await article('Принтер', 'текст', { locale: 'ru' });
    expect((await listKbArticles(deps.db, { access: 'all', categoryId: cat.id })).map((a) => a.id)).toEqual([inText.id]);
    expect((await listKbArticles(deps.db, { access: 'all', text: 'printer', locale: 'en' })).map((a) => a.id)).toEqual([inTitle.id, inText.id]);
  });

  it('keeps versions, translations, one vote per voter, views and deflections', async () => {
    const en = await article('Reset a password', 'Use the portal');
    const ru = await article('Сброс пароля', 'Через портал', { locale: 'ru' });
    await insertKbVersion(deps.db, { articleId: en.id, title: en.title, body: en.body, editedBy: null, editedAt: 1500 });
    expect((await listKbVersions(deps.db, en.id)).map((v) => v.body)).toEqual(['Use the portal']);
    await updateKbTranslationGroup(deps.db, [en.id, ru.id], en.id);
    expect((await listKbTranslations(deps.db, await getKbArticle(deps.db, en.id))).map((a) => a.id)).toEqual([ru.id]);
    await upsertKbVote(deps.db, en.id, 'u:1', true, 1);
    await upsertKbVote(deps.db, en.id, 'u:1', false, 2);
    await upsertKbVote(deps.db, en.id, 's:abc', true, 3);
    await insertKbDeflection(deps.db, en.id, null, 4);
    await incrementKbViews(deps.db, en.id);
    await incrementKbViews(deps.db, en.id);
    expect((await kbFigures(deps.db, [en.id, ru.id])).get(en.id)).toEqual({ helpful: 1, unhelpful: 1, deflections: 1 });
    expect((await kbFigures(deps.db, [ru.id])).get(ru.id)).toEqual({ helpful: 0, unhelpful: 0, deflections: 0 });
    expect((await getKbArticle(deps.db, en.id)).views).toBe(2);
  });

  it('renames categories, counts, moves their articles, deletes them, and lists a component\'s by name', async () => {
    const comp = (await insertComponent(deps.db, { name: 'Printers' }, 1, [])).id;
    const a = await insertKbCategory(deps.db, { name: 'Toner', componentId: null }, 1);
    const b = await insertKbCategory(deps.db, { name: 'Hardware', componentId: null }, 1);
    await updateKbCategory(deps.db, a.id, { name: 'Jams', componentId: comp });
    await updateKbCategory(deps.db, b.id, { name: 'Hardware', componentId: comp });
    expect((await listKbCategoriesOfComponent(deps.db, comp)).map((c) => c.name)).toEqual(['Hardware', 'Jams']);
    const x = await article('Paper jam', 'Open the tray', { categoryId: a.id });
    await article('Toner low', 'Shake it', { categoryId: a.id });
    expect([...(await countKbArticlesByCategory(deps.db))]).toEqual([[a.id, 2]]);
    await moveKbArticlesToCategory(deps.db, a.id, b.id);
    expect([...(await countKbArticlesByCategory(deps.db))]).toEqual([[b.id, 2]]);
    await deleteKbCategoryRow(deps.db, a.id);
    expect((await listKbCategories(deps.db)).map((c) => c.name)).toEqual(['Hardware']);
    expect((await getKbArticle(deps.db, x.id)).categoryId).toBe(b.id);
  });

  it('gives a found article\'s excerpt around the words the search matched by their forms, as ticket search does', async () => {
    const long = `${'Intro words. '.repeat(30)}Then the **printers** stop; reconnect them.`;
    const a = await article('Offline', long);
    const [found] = await listKbArticles(deps.db, { access: 'all', text: 'printer -scanner' });
    expect(found.id).toBe(a.id);
    const snippet = snippetOf(markdownText(found.body), 'printer -scanner');
    expect(snippet).toContain(`Then the ${MARK_START}printers${MARK_END} stop`);
    expect(snippet.length).toBeLessThan(long.length);
  });
});
