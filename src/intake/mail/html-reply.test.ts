import { expect, it } from 'vitest';
import { htmlReplyText } from './html-reply.ts';

it('drops the parts mail clients mark as quote or signature and keeps the lines', () => {
  const html =
    '<div dir="ltr"><p>Hi.&nbsp;I am fine.</p><p>Thanks,<br>Alex</p></div>' +
    '<div class="gmail_signature">Alex, IT</div>' +
    '<div class="gmail_quote">On Mon … wrote:<blockquote class="gmail_quote">Hello</blockquote></div>' +
    '<blockquote type="cite">Apple Mail quote</blockquote><style>p{}</style>';
  expect(htmlReplyText(html)).toBe('Hi. I am fine.\n\nThanks,\nAlex');
});

it('keeps a quote the writer made on purpose (a plain blockquote) and decodes entities', () => {
  expect(htmlReplyText('<p>See:</p><blockquote>the error &lt;500&gt; &#8212; again</blockquote>')).toBe('See:\n\nthe error <500> — again');
});

it('keeps list structure and heading case, and drops ProtonMail and Gmail attribution quotes', () => {
  const html =
    '<h2>Steps</h2><ol><li>Open</li><li>Close</li></ol><ul><li>one</li><li>two</li></ul>' +
    '<div class="protonmail_quote">On Mon … wrote:<blockquote>old</blockquote></div>';
  expect(htmlReplyText(html)).toBe('Steps\n\n1. Open\n2. Close\n\n- one\n- two');
});
