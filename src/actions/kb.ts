// Knowledge-base use cases: writing articles (each save kept as a version), publishing, linking
// the English and Russian versions (and unlinking them), deleting, and what readers do — read (counted), vote, say it solved it.
import { z } from 'zod';
import { inTransaction, isUniqueViolation } from '../db/client.ts';
import { KB_VISIBILITIES, LOCALES, type Locale } from '../domain/vocabulary.ts';
import { forbidden, invalid, notFound } from '../domain/errors.ts';
import { can } from '../domain/permissions.ts';
import { kbAccessFor, kbReadable, kbVoterKey, type KbAccess, type KbVoter } from '../domain/kb.ts';
import {
  countKbArticlesByCategory, deleteKbArticleRow, deleteKbCategoryRow, dissolveLoneKbGroup, findKbCategory, listKbCategories, listKbCategoriesOfComponent, setKbCategoryOrder, moveKbArticlesToCategory, updateKbCategory, getKbArticle, incrementKbViews, insertKbArticle, insertKbCategory, insertKbDeflection, insertKbVersion,
  updateKbArticle, updateKbTranslationGroup, upsertKbVote, type KbArticle, type KbCategory,
} from '../store/kb.ts';
import { insertEvent } from '../store/events.ts';
import { hitRateLimit } from '../store/rate-limits.ts';
import { listTicketMessages } from '../store/messages.ts';
import { getTicket } from '../store/tickets.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';
import { pickFields, recordAudit } from './audit.ts';

async function auditCategory(ctx: Ctx, user: User, action: string, before: KbCategory | null, after: KbCategory | null): Promise<void> {
  const c = (after ?? before)!;
  const snap = (x: KbCategory | null) => x && pickFields(x, ['name', 'componentId', 'position']);
  await recordAudit(ctx, user, { kind: 'kb_category', id: c.id, label: c.name }, action, { before: snap(before), after: snap(after) });
}

export const kbArticleSchema = z.object({
  title: z.string().trim().min(1, 'Enter a title').max(200),
  body: z.string().trim().min(1, 'Write the article').max(100_000),
  categoryId: z.coerce.number().int().positive().nullable().default(null),
  visibility: z.enum(KB_VISIBILITIES).default('internal'),
  locale: z.enum(LOCALES).default('en'),
});
export type KbArticleInput = z.input<typeof kbArticleSchema>;

/** Who reads: what they may see, and who their vote is from. */
export type KbReader = { access: KbAccess; voter: KbVoter };

export const staffReader = (user: User): KbReader => ({ access: kbAccessFor(user.role), voter: { user: user.id } });

async function checkedInput(ctx: Ctx, input: KbArticleInput) {
  const v = parseInput(kbArticleSchema, input);
  if (v.categoryId !== null && !(await findKbCategory(ctx.db, v.categoryId))) throw invalid('Choose a category', { categoryId: 'Choose a category' });
  return v;
}

/** A new draft, its text kept as the first version. */
export async function createKbArticle(ctx: Ctx, user: User, input: KbArticleInput, from: { sourceTicketId?: number } = {}): Promise<KbArticle> {
  requirePermission(user, 'kb.edit');
  const v = await checkedInput(ctx, input);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const a = await insertKbArticle(ctx.db, { ...v, status: 'draft', authorId: user.id, sourceTicketId: from.sourceTicketId ?? null }, now);
    await insertKbVersion(ctx.db, { articleId: a.id, title: a.title, body: a.body, editedBy: user.id, editedAt: now });
    return a;
  });
}

/** Saves an article; a changed title or text is kept as a new version beside the earlier ones. */
/**
 * Whether the person may change the article: a draft, anyone who writes articles; a published one,
 * only who may publish (an edit of a published article is live at once, its visibility included).
 */
export function mayEditKbArticle(user: User, article: Pick<KbArticle, 'status'>): boolean {
  return can(user.role, 'kb.edit') && (article.status !== 'published' || can(user.role, 'kb.publish'));
}

export async function editKbArticle(ctx: Ctx, user: User, id: number, input: KbArticleInput): Promise<KbArticle> {
  requirePermission(user, 'kb.edit');
  const v = await checkedInput(ctx, input);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const before = await getKbArticle(ctx.db, id);
    if (!mayEditKbArticle(user, before)) throw forbidden();
    await updateKbArticle(ctx.db, id, v, now);
    if (before.title !== v.title || before.body !== v.body) await insertKbVersion(ctx.db, { articleId: id, title: v.title, body: v.body, editedBy: user.id, editedAt: now });
    return await getKbArticle(ctx.db, id);
  });
}

export async function publishKbArticle(ctx: Ctx, user: User, id: number, publish: boolean): Promise<void> {
  requirePermission(user, 'kb.publish');
  const a = await getKbArticle(ctx.db, id);
  const now = ctx.clock.now();
  await updateKbArticle(ctx.db, id, publish ? { status: 'published', publishedAt: a.publishedAt ?? now } : { status: 'draft' }, now);
}

/** Links two articles in different languages as translations of each other (joining their groups). */
export async function linkKbTranslation(ctx: Ctx, user: User, id: number, otherId: number): Promise<void> {
  requirePermission(user, 'kb.edit');
  await inTransaction(ctx.db, async () => {
    const a = await getKbArticle(ctx.db, id);
    const b = await getKbArticle(ctx.db, otherId).catch(() => {
      throw invalid('No such article', { translation: 'No such article' });
    });
    if (a.id === b.id || a.locale === b.locale) throw invalid('A translation is an article in the other language', { translation: 'A translation is an article in the other language' });
    const group = a.translationGroup ?? b.translationGroup ?? Math.min(a.id, b.id);
    // the other group's members join too, so a group never splits into two
    const members = [a.id, b.id];
    for (const g of [a.translationGroup, b.translationGroup]) {
      if (g !== null && g !== group) members.push(...(await ctx.db.column<number>('select id from kb_articles where translation_group = ?', g)).map(Number));
    }
    await updateKbTranslationGroup(ctx.db, members, group);
  });
}

/** Takes an article out of its translation group (linked by mistake); a group left with one article is dissolved. */
export async function unlinkKbTranslation(ctx: Ctx, user: User, id: number): Promise<void> {
  requirePermission(user, 'kb.edit');
  await inTransaction(ctx.db, async () => {
    const a = await getKbArticle(ctx.db, id);
    if (!mayEditKbArticle(user, a)) throw forbidden();
    if (a.translationGroup === null) return;
    await updateKbTranslationGroup(ctx.db, [a.id], null);
    await dissolveLoneKbGroup(ctx.db, a.translationGroup);
  });
}

/**
 * Deletes an article, its versions, votes and deflections: a draft, whoever writes articles; a
 * published one, only who may publish (as for editing). Recorded with its title and who deleted it.
 */
export async function deleteKbArticle(ctx: Ctx, user: User, id: number): Promise<void> {
  requirePermission(user, 'kb.edit');
  await inTransaction(ctx.db, async () => {
    const a = await getKbArticle(ctx.db, id);
    if (!mayEditKbArticle(user, a)) throw forbidden();
    await deleteKbArticleRow(ctx.db, id);
    if (a.translationGroup !== null) await dissolveLoneKbGroup(ctx.db, a.translationGroup);
    await insertEvent(ctx.db, { ticketId: null, actor: { kind: 'user', userId: user.id }, type: 'kb.article_deleted', data: { articleId: a.id, title: a.title, locale: a.locale, status: a.status } }, ctx.clock.now());
  });
}

async function readable(ctx: Ctx, reader: KbReader, id: number): Promise<KbArticle> {
  const a = await getKbArticle(ctx.db, id);
  // an article the reader may not see is not found, as if it did not exist
  if (!kbReadable(reader.access, a)) throw notFound('Article');
  return a;
}

/** An article read by someone who may: counted as a view, unless the reader wrote it (checking one's own article is not reading it). */
export async function readKbArticle(ctx: Ctx, reader: KbReader, id: number): Promise<KbArticle> {
  const a = await readable(ctx, reader, id);
  if ('user' in reader.voter && reader.voter.user === a.authorId) return a;
  await incrementKbViews(ctx.db, id);
  return { ...a, views: a.views + 1 };
}

/** "Was this helpful?": one answer per reader, the last one counts. */
export async function voteKbArticle(ctx: Ctx, reader: KbReader, id: number, helpful: boolean): Promise<void> {
  await readable(ctx, reader, id);
  await upsertKbVote(ctx.db, id, kbVoterKey(reader.voter), helpful, ctx.clock.now());
}

/** A reader's "this solved it" on an article counts once a day (pressed again, or the form sent twice, it is not another request saved). */
export const DEFLECTION_WINDOW_MS = 86_400_000;

/** A requester found the answer here instead of sending a request. */
export async function recordKbDeflection(ctx: Ctx, reader: KbReader, id: number): Promise<void> {
  await readable(ctx, reader, id);
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    const seen = await hitRateLimit(ctx.db, `kb-deflection:${id}:${kbVoterKey(reader.voter)}`, now, DEFLECTION_WINDOW_MS);
    if (seen.hits === 1) await insertKbDeflection(ctx.db, id, 'contact' in reader.voter ? reader.voter.contact : null, now);
  });
}

export const kbCategorySchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(120),
  componentId: z.coerce.number().int().positive().nullable().default(null),
});

export async function createKbCategory(ctx: Ctx, user: User, input: z.input<typeof kbCategorySchema>): Promise<KbCategory> {
  requirePermission(user, 'kb.publish');
  const v = parseInput(kbCategorySchema, input);
  try {
    return await inTransaction(ctx.db, async () => {
      const made = await insertKbCategory(ctx.db, v, ctx.clock.now());
      await auditCategory(ctx, user, 'created', null, made);
      return made;
    });
  } catch (err) {
    throw nameTaken(err);
  }
}

const nameTaken = (err: unknown) => (isUniqueViolation(err, 'kb_categories', 'name') ? invalid('A category of that name exists', { name: 'A category of that name exists' }) : err);

async function getKbCategory(ctx: Ctx, id: number): Promise<KbCategory> {
  const c = await findKbCategory(ctx.db, id);
  if (!c) throw notFound('Category');
  return c;
}

/** Renames a category or ties it to another component (or to none). */
export async function editKbCategory(ctx: Ctx, user: User, id: number, input: z.input<typeof kbCategorySchema>): Promise<void> {
  requirePermission(user, 'kb.publish');
  const v = parseInput(kbCategorySchema, input);
  try {
    await inTransaction(ctx.db, async () => {
      const before = await getKbCategory(ctx, id);
      await updateKbCategory(ctx.db, id, v);
      await auditCategory(ctx, user, 'updated', before, await getKbCategory(ctx, id));
    });
  } catch (err) {
    throw nameTaken(err);
  }
}

/** Moves a category one place up or down the list everyone sees (the others keep their order). */
export async function moveKbCategory(ctx: Ctx, user: User, id: number, direction: 'up' | 'down'): Promise<void> {
  requirePermission(user, 'kb.publish');
  await inTransaction(ctx.db, async () => {
    const before = await getKbCategory(ctx, id);
    const ids = (await listKbCategories(ctx.db)).map((c) => c.id);
    const i = ids.indexOf(id);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j], ids[i]];
    await setKbCategoryOrder(ctx.db, ids);
    await auditCategory(ctx, user, 'updated', before, await getKbCategory(ctx, id));
  });
}

/**
 * Deletes a category. Its articles are never left without one: a category that holds articles is
 * deleted only with another category to move them to (`moveTo`), in the same transaction.
 */
export async function deleteKbCategory(ctx: Ctx, user: User, id: number, moveTo: number | null): Promise<void> {
  requirePermission(user, 'kb.publish');
  await inTransaction(ctx.db, async () => {
    const before = await getKbCategory(ctx, id);
    if ((await countKbArticlesByCategory(ctx.db)).get(id)) {
      const refused = () => invalid('Choose the category its articles move to', { moveTo: 'Choose the category its articles move to' });
      if (moveTo === null || moveTo === id || !(await findKbCategory(ctx.db, moveTo))) throw refused();
      await moveKbArticlesToCategory(ctx.db, id, moveTo);
    }
    await deleteKbCategoryRow(ctx.db, id);
    await auditCategory(ctx, user, 'removed', before, null);
  });
}

/** The category an article about a ticket goes in: the first one tied to the ticket's component, if any. */
async function categoryForComponent(ctx: Ctx, componentId: number | null): Promise<number | null> {
  if (componentId === null) return null;
  return (await listKbCategoriesOfComponent(ctx.db, componentId))[0]?.id ?? null;
}

/**
 * A draft made from a resolved ticket: its subject as the title, and as the text the resolution
 * note and the last answer the desk sent the requester; in the category tied to the ticket's
 * component (the first, as listed, when several are). Written in the language asked for.
 */
export async function draftFromTicket(ctx: Ctx, user: User, ticketId: number, locale: Locale): Promise<KbArticle> {
  requirePermission(user, 'kb.edit');
  requirePermission(user, 'ticket.view');
  const t = await getTicket(ctx.db, ticketId);
  if (t.status !== 'resolved' && t.status !== 'closed') throw invalid('Only a resolved ticket makes an article');
  const lastAnswer = (await listTicketMessages(ctx.db, t.id)).filter((m) => m.kind === 'reply' && m.direction === 'out' && m.bodyText.trim()).at(-1);
  const parts = [t.resolutionNote?.trim(), lastAnswer?.bodyText.trim()].filter((p): p is string => !!p);
  const body = parts.length ? parts.join('\n\n') : t.subject;
  return await createKbArticle(ctx, user, { title: t.subject, body, locale, visibility: 'internal', categoryId: await categoryForComponent(ctx, t.componentId) }, { sourceTicketId: t.id });
}
