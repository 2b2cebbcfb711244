// The knowledge base's rows: categories, articles with their earlier versions, votes, views and
// deflected requests. Articles are found by word forms through the same stems as tickets
// (src/store/search.ts; the index is kb_articles_fts on SQLite, search_stems/search_words on PostgreSQL).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { kbArticles, kbArticleVersions, kbCategories, type Locale } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import type { KbAccess } from '../domain/kb.ts';
import { parseSearch } from '../domain/search-query.ts';
import { findRow, insertRow, listRows, placeholders, updateRows } from './rows.ts';
import { ftsMatch, pgMatch, relevance } from './search.ts';

export type KbCategory = typeof kbCategories.$inferSelect;
export type KbArticle = typeof kbArticles.$inferSelect;
export type KbArticleVersion = typeof kbArticleVersions.$inferSelect;
export type KbFigures = { helpful: number; unhelpful: number; deflections: number };

/** Categories stand in the order people put them in, then by name (all stand at 0 until someone orders them). */
const CATEGORY_ORDER = 'order by position, lower(name), id';

export async function listKbCategories(db: Db): Promise<KbCategory[]> {
  return await listRows(db, kbCategories, CATEGORY_ORDER);
}

export async function findKbCategory(db: Db, id: number): Promise<KbCategory | undefined> {
  return await findRow(db, kbCategories, 'where id = ?', id);
}

/** A new category goes last once the categories have been ordered, else among the others by its name. */
export async function insertKbCategory(db: Db, c: { name: string; componentId: number | null }, now: number): Promise<KbCategory> {
  const last = Number(await db.value('select coalesce(max(position), 0) from kb_categories'));
  return await insertRow(db, kbCategories, { ...c, position: last > 0 ? last + 1 : 0, createdAt: now });
}

/** Puts the categories in this order (1, 2, 3…): `ids` lists every category. */
export async function setKbCategoryOrder(db: Db, ids: readonly number[]): Promise<void> {
  for (const [i, id] of ids.entries()) await db.run('update kb_categories set position = ? where id = ?', i + 1, id);
}

export async function updateKbCategory(db: Db, id: number, patch: { name: string; componentId: number | null }): Promise<void> {
  await updateRows(db, kbCategories, patch, 'where id = ?', id);
}

/** How many articles each category holds (categories without articles are left out). */
export async function countKbArticlesByCategory(db: Db): Promise<Map<number, number>> {
  const rows = await db.all<{ c: number; n: number }>('select category_id as c, count(*) as n from kb_articles where category_id is not null group by category_id');
  return new Map(rows.map((r) => [Number(r.c), Number(r.n)]));
}

/** Puts a category's articles into another one. */
export async function moveKbArticlesToCategory(db: Db, from: number, to: number): Promise<void> {
  await db.run('update kb_articles set category_id = ? where category_id = ?', to, from);
}

/** Deletes a category row (its articles, if any were left, would lose their category: move them first). */
export async function deleteKbCategoryRow(db: Db, id: number): Promise<void> {
  await db.run('delete from kb_categories where id = ?', id);
}

/** The categories tied to a component, in the order the knowledge base lists them. */
export async function listKbCategoriesOfComponent(db: Db, componentId: number): Promise<KbCategory[]> {
  return await listRows(db, kbCategories, `where component_id = ? ${CATEGORY_ORDER}`, componentId);
}

export async function findKbArticle(db: Db, id: number): Promise<KbArticle | undefined> {
  return await findRow(db, kbArticles, 'where id = ?', id);
}

export async function getKbArticle(db: Db, id: number): Promise<KbArticle> {
  const a = await findKbArticle(db, id);
  if (!a) throw notFound('Article');
  return a;
}

export type KbArticleInsert = Omit<typeof kbArticles.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'views'>;

export async function insertKbArticle(db: Db, a: KbArticleInsert, now: number): Promise<KbArticle> {
  return await insertRow(db, kbArticles, { ...a, createdAt: now, updatedAt: now });
}

export async function updateKbArticle(db: Db, id: number, patch: Partial<KbArticle>, now: number): Promise<void> {
  await updateRows(db, kbArticles, { ...patch, updatedAt: now }, 'where id = ?', id);
}

export async function insertKbVersion(db: Db, v: { articleId: number; title: string; body: string; editedBy: number | null; editedAt: number }): Promise<KbArticleVersion> {
  return await insertRow(db, kbArticleVersions, v);
}

/** An article's earlier versions, the latest first. */
export async function listKbVersions(db: Db, articleId: number): Promise<KbArticleVersion[]> {
  return await listRows(db, kbArticleVersions, 'where article_id = ? order by id desc', articleId);
}

/** The other articles of a translation group (an article's versions in other languages). */
export async function listKbTranslations(db: Db, article: KbArticle): Promise<KbArticle[]> {
  if (article.translationGroup === null) return [];
  return await listRows(db, kbArticles, 'where translation_group = ? and id <> ? order by locale, id', article.translationGroup, article.id);
}

export async function updateKbTranslationGroup(db: Db, ids: number[], group: number | null): Promise<void> {
  await updateRows(db, kbArticles, { translationGroup: group }, `where id in (${placeholders(ids.length)})`, ...ids);
}

/** Deletes an article with its versions, votes and deflections (their rows cascade; the search index follows by trigger). */
export async function deleteKbArticleRow(db: Db, id: number): Promise<void> {
  await db.run('delete from kb_articles where id = ?', id);
}

/** A translation group left with a single article is no group: that article stands alone again. */
export async function dissolveLoneKbGroup(db: Db, group: number): Promise<void> {
  await db.run('update kb_articles set translation_group = null where translation_group = ? and (select count(*) from kb_articles where translation_group = ?) = 1', group, group);
}

/** A voter's answer to "was this helpful?"; a second answer replaces the first. */
export async function upsertKbVote(db: Db, articleId: number, voter: string, helpful: boolean, now: number): Promise<void> {
  await db.run(
    'insert into kb_votes (article_id, voter, helpful, created_at) values (?, ?, ?, ?) on conflict (article_id, voter) do update set helpful = excluded.helpful, created_at = excluded.created_at',
    articleId, voter, helpful ? 1 : 0, now,
  );
}

export async function incrementKbViews(db: Db, articleId: number): Promise<void> {
  await db.run('update kb_articles set views = views + 1 where id = ?', articleId);
}

export async function insertKbDeflection(db: Db, articleId: number, contactId: number | null, now: number): Promise<void> {
  await db.run('insert into kb_deflections (article_id, contact_id, created_at) values (?, ?, ?)', articleId, contactId, now);
}

/** Helpful and unhelpful votes and deflected requests per article. */
export async function kbFigures(db: Db, ids: number[]): Promise<Map<number, KbFigures>> {
  const out = new Map<number, KbFigures>(ids.map((id) => [id, { helpful: 0, unhelpful: 0, deflections: 0 }]));
  if (!ids.length) return out;
  const list = placeholders(ids.length);
  const votes = await db.all<{ a: number; yes: number; no: number }>(
    `select article_id as a, sum(helpful) as yes, sum(1 - helpful) as no from kb_votes where article_id in (${list}) group by article_id`, ...ids,
  );
  for (const v of votes) Object.assign(out.get(Number(v.a))!, { helpful: Number(v.yes), unhelpful: Number(v.no) });
  const defl = await db.all<{ a: number; n: number }>(`select article_id as a, count(*) as n from kb_deflections where article_id in (${list}) group by article_id`, ...ids);
  for (const d of defl) out.get(Number(d.a))!.deflections = Number(d.n);
  return out;
}

const ACCESS_WHERE: Record<KbAccess, string> = {
  public: "status = 'published' and visibility = 'public'",
  internal: "status = 'published'",
  all: '1 = 1',
};

/** How many of the newest matching articles a search ranks (as ticket search ranks the newest matches). */
export const KB_RANKED_MATCHES = 2000;

/** The ids of the newest articles whose title or text matches the search, by word forms; null when it looks for nothing. */
async function matchingIds(db: Db, text: string): Promise<number[] | null> {
  const q = parseSearch(text);
  const match = ftsMatch(q);
  if (!match) return null;
  const ids = db.engine === 'postgres'
    ? await db.column<number>(sql`select id from kb_articles where ${pgMatch(q, sql`search_words`, sql`search_stems`)} order by id desc limit ${KB_RANKED_MATCHES}`)
    : await db.column<number>(`select rowid from kb_articles_fts where kb_articles_fts match ? order by rowid desc limit ${KB_RANKED_MATCHES}`, match);
  return ids.map(Number);
}

export type KbListQuery = { access: KbAccess; text?: string; categoryId?: number | null; locale?: Locale; limit?: number };

/**
 * The articles a reader may see, newest change first; with a search, those matching it, the most
 * relevant first (title and text scored as ticket search scores messages, the title counting twice).
 */
export async function listKbArticles(db: Db, query: KbListQuery): Promise<KbArticle[]> {
  const where = [ACCESS_WHERE[query.access]];
  const params: unknown[] = [];
  if (query.categoryId) {
    where.push('category_id = ?');
    params.push(query.categoryId);
  }
  if (query.locale) {
    where.push('locale = ?');
    params.push(query.locale);
  }
  const text = query.text?.trim() ?? '';
  const ids = text ? await matchingIds(db, text) : null;
  if (ids) {
    if (!ids.length) return [];
    where.push(`id in (${placeholders(ids.length)})`);
    params.push(...ids);
  }
  const limit = query.limit ?? 200;
  const rows = await listRows(db, kbArticles, `where ${where.join(' and ')} order by updated_at desc, id desc limit ${ids ? KB_RANKED_MATCHES : limit}`, ...params);
  if (!ids) return rows;
  const q = parseSearch(text);
  const titles = relevance(rows.map((r) => r.title), q);
  const bodies = relevance(rows.map((r) => r.body), q);
  return rows
    .map((r, i) => ({ r, score: 2 * titles[i] + bodies[i] }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((x) => x.r);
}
