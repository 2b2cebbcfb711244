// Who reads which knowledge-base articles, and who a vote is from.
import { can } from './permissions.ts';
import type { Role } from './vocabulary.ts';

/**
 * What a reader may see: `public` published public articles (requesters, and anyone when the desk
 * allows it), `internal` every published article (staff), `all` drafts too (those who write them).
 */
export type KbAccess = 'public' | 'internal' | 'all';

/** The access of a staff member by role, or of a requester or anonymous reader (null). */
export function kbAccessFor(role: Role | null): KbAccess {
  if (!role || !can(role, 'kb.view')) return 'public';
  return can(role, 'kb.edit') ? 'all' : 'internal';
}

/** Whether an article is readable with this access. */
export function kbReadable(access: KbAccess, a: { visibility: 'internal' | 'public'; status: 'draft' | 'published' }): boolean {
  if (access === 'all') return true;
  if (a.status !== 'published') return false;
  return access === 'internal' || a.visibility === 'public';
}

/** Who votes: a staff member, a requester's contact, or an anonymous reader's session key. */
export type KbVoter = { user: number } | { contact: number } | { session: string };

/** The voter as kept in kb_votes.voter: one answer per voter per article. */
export function kbVoterKey(v: KbVoter): string {
  if ('user' in v) return `u:${v.user}`;
  if ('contact' in v) return `c:${v.contact}`;
  return `s:${v.session}`;
}

/**
 * A search for the articles that may answer a request being typed: its words (three letters or
 * more, the first twenty different ones) any of which may match, the best matching first; null
 * when it has no such word. Quotes, minus signs and fields typed by the requester are words here,
 * not search syntax.
 */
export function suggestionSearch(text: string): string | null {
  const words = [...new Set((text.toLocaleLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []))].slice(0, 20);
  return words.length ? words.join(' OR ') : null;
}

type ShelvedArticle = { id: number; categoryId: number | null; translationGroup: number | null; locale: string };

/**
 * The articles as a requester browses them: a shelf per category, in the categories' order (only
 * those holding articles), then the articles in none. An article and its translation show once, as
 * the version in the reader's language when there is one, else as the first of them listed.
 */
export function kbShelves<A extends ShelvedArticle, C extends { id: number }>(articles: readonly A[], categories: readonly C[], locale: string): { category: C | null; articles: A[] }[] {
  const keyOf = (a: A) => (a.translationGroup === null ? `a${a.id}` : `g${a.translationGroup}`);
  const chosen = new Map<string, A>();
  for (const a of articles) {
    const key = keyOf(a);
    const held = chosen.get(key);
    if (!held || (held.locale !== locale && a.locale === locale)) chosen.set(key, a);
  }
  const kept = articles.filter((a) => chosen.get(keyOf(a)) === a);
  // an article in no category, or in one not given, goes on the last shelf
  const known = new Set(categories.map((c) => c.id));
  const shelves = categories.map((category) => ({ category: category as C | null, articles: kept.filter((a) => a.categoryId === category.id) }));
  shelves.push({ category: null, articles: kept.filter((a) => a.categoryId === null || !known.has(a.categoryId)) });
  return shelves.filter((s) => s.articles.length > 0);
}
