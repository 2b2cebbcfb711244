import { expect, it } from 'vitest';
import { htmlToPlainText } from './html-text.ts';

it('keeps the case of headings and the bullets of lists', () => {
  const text = htmlToPlainText('<h1>Order status</h1><p>Hi</p><ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>');
  expect(text).toContain('Order status');
  expect(text).not.toContain('ORDER STATUS');
  expect(text).toContain('- one\n- two');
  expect(text).toMatch(/1\. first\n\s*2\. second/);
});
