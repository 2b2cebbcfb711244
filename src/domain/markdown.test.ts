import { describe, expect, it } from 'vitest';
import { markdownText, renderMarkdown } from './markdown.ts';

describe('article Markdown', () => {
  it('renders headings, lists, emphasis, code and links', () => {
    const html = renderMarkdown('# Title\n\nSome **bold** and *em* and `a<b`.\n\n- one\n- two\n\n1. first\n\n```\nx < y\n```\n\n[docs](https://example.com/a?b=1&c=2)');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong> and <em>em</em> and <code>a&lt;b</code>');
    expect(html).toContain('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
    expect(html).toContain('<ol>\n<li>first</li>\n</ol>');
    expect(html).toContain('<pre><code>x &lt; y\n</code></pre>');
    expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">docs</a>');
  });

  it('leaves addresses and code alone when they hold emphasis marks', () => {
    const html = renderMarkdown('[the *guide*](https://example.com/a_b_c/*x*) and `x_y_z` and _this_');
    expect(html).toBe('<p><a href="https://example.com/a_b_c/*x*" rel="noopener noreferrer nofollow">the <em>guide</em></a> and <code>x_y_z</code> and <em>this</em></p>\n');
  });

  it('shows raw HTML as text and drops unsafe links', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [x](data:text/html,hi) <https://ok.example/>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/href="(javascript|data):/);
    expect(html).toContain('<a href="https://ok.example/" rel="noopener noreferrer nofollow">https://ok.example/</a>');
  });

  it('gives the words of an article as plain text for an excerpt', () => {
    expect(markdownText('# Принтер\n\nОткройте **лоток** и [уберите бумагу](https://x.example/a_b).\nЗатем `reset-1`.\n\n```\nrm -rf\n```\n\n- один\n- два'))
      .toBe('Принтер Откройте лоток и уберите бумагу. Затем reset-1. один два');
  });
});
