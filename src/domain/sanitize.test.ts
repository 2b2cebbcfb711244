import { describe, expect, it } from 'vitest';
import { sanitizeMailHtml } from './sanitize.ts';

describe('sanitizeMailHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>hi</p>', '<p>hi</p>'],
    ['<img src="x" onerror="alert(1)">', ''],
    ['<img src="/admin/outbox"><p>hi</p>', '<p>hi</p>'],
    ['<img src="https://tracker.example/pixel.gif">', '<img />'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow" target="_blank">x</a>'],
    ['<svg><script>alert(1)</script></svg>', ''],
    ['<iframe src="https://evil"></iframe>ok', 'ok'],
    ['<style>body{display:none}</style>text', 'text'],
    ['<div style="position:fixed">x</div>', '<div>x</div>'],
  ])('removes what could run or escape: %s', (input, expected) => {
    expect(sanitizeMailHtml(input)).toBe(expected);
  });

  it('keeps inline images by content id and safe data images', () => {
    expect(sanitizeMailHtml('<img src="cid:logo@x">')).toBe('<img src="cid:logo@x" />');
    expect(sanitizeMailHtml('<img src="data:image/png;base64,AAAA">')).toContain('data:image/png');
    expect(sanitizeMailHtml('<img src="data:text/html;base64,AAAA">')).toBe('');
  });
});
