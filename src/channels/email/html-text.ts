// The plain text of an HTML-only mail, as the console shows it and reply trimming reads it.
// Headings and table headers keep their case (html-to-text upper-cases them by default) and
// lists keep their "- item" / "1. item" bullets.
import { htmlToText, type HtmlToTextOptions } from 'html-to-text';
import { MAX_HTML_DEPTH } from './mail-limits.ts';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } }));

const OPTIONS: HtmlToTextOptions = {
  limits: { maxDepth: MAX_HTML_DEPTH },
  selectors: [
    ...HEADINGS,
    { selector: 'table', options: { uppercaseHeaderCells: false } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
  ],
};

/** Throws when the HTML cannot be converted (the caller records the problem). */
export function htmlToPlainText(html: string): string {
  return htmlToText(html, OPTIONS);
}
