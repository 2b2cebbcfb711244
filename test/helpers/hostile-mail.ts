// Mail built to cost the desk as much as possible (made in the test, never a fixture: some are
// megabytes): many parts, deep nesting, huge headers, big or broken base64.
let seq = 0;

function head(subject: string, contentType: string, extra: string[] = []): string {
  return [
    'From: Eve Mallory <eve@hostile.example>',
    'To: support@desk.example',
    `Subject: ${subject}`,
    'Date: Mon, 02 Nov 2026 09:00:00 +0300',
    `Message-ID: <hostile.${++seq}.${Math.random().toString(36).slice(2)}@hostile.example>`,
    ...extra,
    'MIME-Version: 1.0',
    `Content-Type: ${contentType}`,
  ].join('\r\n');
}

/** base64 folded in 76-character lines, as mail carries it */
function base64Lines(data: Buffer | string): string {
  return Buffer.from(data).toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** A text part and `count` tiny attachments named f1.txt … */
export function manyAttachments(count: number): Buffer {
  const parts = ['--b\r\nContent-Type: text/plain\r\n\r\nSee the attached files.\r\n'];
  for (let i = 1; i <= count; i++) {
    parts.push(`--b\r\nContent-Type: text/plain; name="f${i}.txt"\r\nContent-Disposition: attachment; filename="f${i}.txt"\r\n\r\nfile ${i}\r\n`);
  }
  return Buffer.from(`${head(`${count} attachments`, 'multipart/mixed; boundary="b"')}\r\n\r\n${parts.join('')}--b--\r\n`);
}

/** `depth` multiparts, each inside the one before, with the text at the bottom */
export function nestedMultipart(depth: number, text = 'Found me at the bottom.'): Buffer {
  let body = '';
  for (let i = 1; i < depth; i++) body += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n`;
  body += `--b${depth - 1}\r\nContent-Type: text/plain\r\n\r\n${text}\r\n`;
  for (let i = depth - 1; i >= 0; i--) body += `--b${i}--\r\n`;
  return Buffer.from(`${head(`nested ${depth} deep`, 'multipart/mixed; boundary="b0"')}\r\n\r\n${body}`);
}

/** a header block of about `bytes` (many X- header lines) before a short text */
export function hugeHeaders(bytes: number): Buffer {
  const line = `X-Filler: ${'h'.repeat(68)}`;
  const lines = Array.from({ length: Math.ceil(bytes / (line.length + 2)) }, (_, i) => `${line}${i}`);
  return Buffer.from(`${head('huge headers', 'text/plain', lines)}\r\n\r\nBody after the headers.\r\n`);
}

/** one Subject header of `chars` characters */
export function hugeSubject(chars: number): Buffer {
  return Buffer.from(`${head('S'.repeat(chars), 'text/plain')}\r\n\r\nLook at the subject.\r\n`);
}

/** a base64 text part that decodes to `bytes` of text */
export function base64Text(bytes: number): Buffer {
  const text = 'All work and no play makes Jack a dull boy.\n'.repeat(Math.ceil(bytes / 44)).slice(0, bytes);
  return Buffer.from(`${head('big text', 'text/plain; charset=utf-8', [])}\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(text)}\r\n`);
}

/** a text part and a "PDF" whose base64 is `bytes` of characters that are not base64 at all */
export function base64Garbage(bytes: number): Buffer {
  const junk = '!@#$%^&*()~`{}[]|\\;:\'",.<>?/ \u00e9\u00fc'.repeat(Math.ceil(bytes / 35)).slice(0, bytes);
  const body = [
    '--b\r\nContent-Type: text/plain\r\n\r\nThe report is attached.\r\n',
    `--b\r\nContent-Type: application/pdf; name="report.pdf"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="report.pdf"\r\n\r\n${junk.replace(/.{76}/g, '$&\r\n')}\r\n`,
  ].join('');
  return Buffer.from(`${head('broken base64', 'multipart/mixed; boundary="b"')}\r\n\r\n${body}--b--\r\n`, 'latin1');
}

/** a text part and an HTML part nesting `depth` <div> elements */
export function deepHtml(depth: number): Buffer {
  const html = `${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}`;
  const body = [
    '--b\r\nContent-Type: text/plain\r\n\r\nThe plain text of a deep HTML mail.\r\n',
    `--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(html)}\r\n`,
  ].join('');
  return Buffer.from(`${head('deep html', 'multipart/alternative; boundary="b"')}\r\n\r\n${body}--b--\r\n`);
}

/** an HTML-only mail of `rounds` <li><p> pairs: a p is not closed by the next li, so they nest */
export function listParagraphHtml(rounds: number): Buffer {
  const html = `<ul>${'<li><p>x'.repeat(rounds)}</ul>`;
  return Buffer.from(`${head('list html', 'text/html; charset=utf-8')}\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(html)}\r\n`);
}

/** a plain mail that is about `bytes` long (for size limits), optionally with a big header block */
export function bigMail(bytes: number, subject = 'A big mail', headerBytes = 0): Buffer {
  const filler = Array.from({ length: Math.ceil(headerBytes / 80) }, (_, i) => `X-Filler-${i}: ${'h'.repeat(64)}`);
  const start = `${head(subject, 'text/plain', filler)}\r\n\r\n`;
  const lines = `${'x'.repeat(76)}\r\n`.repeat(Math.ceil((bytes - start.length) / 78));
  return Buffer.from(start + lines);
}
