// What the knowledge-base pages show: rows turned into view models (the article's Markdown as sanitised HTML).
import { LOCALES } from '../../domain/vocabulary.ts';
import { KB_VISIBILITIES } from '../../domain/vocabulary.ts';
import { markdownText, renderMarkdown } from '../../domain/markdown.ts';
import { snippetOf } from '../../store/search.ts';
import { snippetHtml } from '../routes/search.ts';
import type { KbArticle, KbArticleVersion, KbCategory, KbFigures } from '../../store/kb.ts';
import type { Component } from '../../store/components.ts';

const NO_FIGURES: KbFigures = { helpful: 0, unhelpful: 0, deflections: 0 };

/**
 * A found article's excerpt as HTML: its text (Markdown read as plain text) around the searched
 * words, escaped, the words marked, as ticket search shows a message. No search, no excerpt.
 */
export function kbSnippetHtml(a: Pick<KbArticle, 'body'>, search: string): string | null {
  return search.trim() ? snippetHtml(snippetOf(markdownText(a.body), search)) : null;
}

export function kbListRowVM(a: KbArticle, figures: KbFigures | undefined, categories: Map<number, string>) {
  const f = figures ?? NO_FIGURES;
  return {
    id: a.id, title: a.title, status: a.status, visibility: a.visibility, locale: a.locale, updatedAt: a.updatedAt, views: a.views,
    category: a.categoryId ? (categories.get(a.categoryId) ?? null) : null,
    helpful: f.helpful, unhelpful: f.unhelpful, deflections: f.deflections,
  };
}

export function kbArticleVM(a: KbArticle, figures: KbFigures | undefined, extra: { category: string | null; author: string | null; sourceTicket: number | null }) {
  return { ...kbListRowVM(a, figures, new Map()), ...extra, html: renderMarkdown(a.body), published: a.status === 'published' };
}

export function kbVersionsVM(versions: KbArticleVersion[], names: Map<number, string>) {
  return versions.map((v, i) => ({ id: v.id, title: v.title, body: v.body, at: v.editedAt, by: v.editedBy ? (names.get(v.editedBy) ?? null) : null, current: i === 0 }));
}

export type KbFormValues = { title?: string; body?: string; categoryId?: string; visibility?: string; locale?: string };

export function kbFormVM(values: KbFormValues, categories: KbCategory[]) {
  return {
    values,
    categories: categories.map((c) => ({ id: c.id, name: c.name, selected: String(c.id) === values.categoryId })),
    visibilities: KB_VISIBILITIES.map((v) => ({ id: v, selected: (values.visibility ?? 'internal') === v })),
    locales: LOCALES.map((l) => ({ id: l, selected: (values.locale ?? 'en') === l })),
  };
}

export function kbCategoriesVM(categories: KbCategory[], components: Component[], selected: number | null) {
  const names = new Map(components.map((c) => [c.id, c.name]));
  return categories.map((c) => ({ id: c.id, name: c.name, component: c.componentId ? (names.get(c.componentId) ?? null) : null, selected: c.id === selected }));
}

/** Each category as its edit and delete forms show it: its name, component, how many articles it holds and where they may move. */
export function kbCategoryFormsVM(categories: KbCategory[], counts: Map<number, number>) {
  return categories.map((c, i) => ({
    id: c.id, name: c.name, componentId: c.componentId, articles: counts.get(c.id) ?? 0, first: i === 0, last: i === categories.length - 1,
    others: categories.filter((o) => o.id !== c.id).map((o) => ({ id: o.id, name: o.name })),
  }));
}
