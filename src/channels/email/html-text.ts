// The plain text of an HTML-only mail, as the console shows it and reply trimming reads it.
import { htmlToText } from 'html-to-text';
import { MAX_HTML_DEPTH } from './mail-limits.ts';

/** Throws when the HTML cannot be converted (the caller records the problem). */
export function htmlToPlainText(html: string): string {
  return htmlToText(html, { limits: { maxDepth: MAX_HTML_DEPTH } });
}
