import { describe, expect, it } from 'vitest';
import { createMailHtmlCache } from './safe-mail-html.ts';
import { SANITIZER_VERSION } from './sanitize.ts';

const OLD_BAD = '<p>Hi</p><img src="x" onerror="alert(1)"><script>alert(2)</script>';

describe('createMailHtmlCache', () => {
  it('sanitises stored HTML when it is read, whatever was stored', () => {
    const safe = createMailHtmlCache().safeHtml(1, OLD_BAD);
    expect(safe).toBe('<p>Hi</p>');
  });

  it('sanitises a message once per version, and again after the version is bumped', () => {
    let calls = 0;
    // a sanitiser that has a bug in version 1 (lets onerror through) and is fixed in version 2
    const sanitizers = { 1: (h: string) => h.replace(/<script>.*?<\/script>/g, ''), 2: (h: string) => h.replace(/<script>.*?<\/script>/g, '').replace(/ onerror="[^"]*"/g, '') };
    const cacheOf = (version: 1 | 2) => createMailHtmlCache({ version, sanitize: (h) => (calls++, sanitizers[version](h)) });
    const v1 = cacheOf(1);
    expect(v1.safeHtml(7, OLD_BAD)).toContain('onerror');
    expect(v1.safeHtml(7, OLD_BAD)).toContain('onerror');
    expect(calls).toBe(1);
    const v2 = cacheOf(2);
    expect(v2.safeHtml(7, OLD_BAD)).toBe('<p>Hi</p><img src="x">');
    expect(calls).toBe(2);
    expect(SANITIZER_VERSION).toBeGreaterThanOrEqual(1);
  });

  it('never serves one message the HTML of another that had the same id', () => {
    const cache = createMailHtmlCache();
    expect(cache.safeHtml(3, '<p>first</p>')).toBe('<p>first</p>');
    expect(cache.safeHtml(3, '<p>second</p>')).toBe('<p>second</p>');
  });

  it('stays within its bounds, dropping the least recently used', () => {
    let calls = 0;
    const cache = createMailHtmlCache({ maxEntries: 2, sanitize: (h) => (calls++, h) });
    cache.safeHtml(1, 'a');
    cache.safeHtml(2, 'b');
    cache.safeHtml(1, 'a'); // 1 is used again: 2 is now the oldest
    cache.safeHtml(3, 'c');
    expect(calls).toBe(3);
    cache.safeHtml(1, 'a');
    expect(calls).toBe(3);
    cache.safeHtml(2, 'b');
    expect(calls).toBe(4);
    const small = createMailHtmlCache({ maxChars: 10, sanitize: (h) => (calls++, h) });
    small.safeHtml(1, 'x'.repeat(8)); // 16 chars with its source: not kept
    small.safeHtml(1, 'x'.repeat(8));
    expect(calls).toBe(6);
  });
});
