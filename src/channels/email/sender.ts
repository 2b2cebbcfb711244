// Who a mail is from, read from its From headers as the sender wrote them. Every From header and
// every mailbox in it is tried, the first with a whole address wins ("From: [??????]" before the
// real From, or '"Company " <>, "LTD" <ly@x>'). A mailbox without a domain (From: MAILER-DAEMON
// (Mail Delivery System)) is kept as written, its local part the address and its comment the
// name: no domain is invented, and such an address is never mailed (identify-requester).
import libmime from 'libmime';
import type { Address } from '../../intake/types.ts';

/** A local part without a domain, as mail systems write themselves ("MAILER-DAEMON", "postmaster"). */
const LOCAL_PART = /^[^\s@<>()",;:[\]\\]{1,64}$/;

export function hasDomain(address: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && at < address.length - 1;
}

/** The header value split into its mailboxes at commas outside quotes, angles, comments and encoded words. */
function mailboxes(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (!quoted && !comment && value.startsWith('=?', i)) {
      const end = value.indexOf('?=', value.indexOf('?', value.indexOf('?', i + 2) + 1) + 1);
      if (end !== -1 && !/\s/.test(value.slice(i, end))) {
        current += value.slice(i, end + 2);
        i = end + 1;
        continue;
      }
    }
    if (c === '\\' && (quoted || comment)) {
      current += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"' && !comment) quoted = !quoted;
    else if (!quoted && c === '(') comment++;
    else if (!quoted && c === ')' && comment) comment--;
    else if (!quoted && !comment && c === '<') angle++;
    else if (!quoted && !comment && c === '>' && angle) angle--;
    else if (!quoted && !comment && !angle && c === ',') {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  out.push(current);
  return out.map((m) => m.trim()).filter(Boolean);
}

function decodePhrase(phrase: string): string {
  let text = phrase.trim();
  try {
    text = libmime.decodeWords(text);
  } catch {
    // kept as written
  }
  return text.replace(/"((?:[^"\\]|\\.)*)"/g, (_m, inner: string) => inner.replace(/\\(.)/g, '$1')).replace(/[ \t\r\n]+/g, ' ').trim();
}

type Mailbox = { address: string; name: string };

function readMailbox(text: string): Mailbox | null {
  const comments: string[] = [];
  // comments outside quoted strings: (Mail Delivery System)
  const bare = text.replace(/"(?:[^"\\]|\\.)*"|\(((?:[^()\\]|\\.)*)\)/g, (m, inner: string | undefined) => {
    if (inner === undefined) return m;
    comments.push(inner);
    return ' ';
  });
  const commentName = decodePhrase(comments.join(' '));
  const open = bare.lastIndexOf('<');
  if (open !== -1) {
    const close = bare.indexOf('>', open);
    // comments inside the address (pete(his account)@silly.test) are gone, with the space they left
    const inside = bare.slice(open + 1, close === -1 ? undefined : close).replace(/\s*([@.])\s*/g, '$1').trim();
    const phrase = decodePhrase(bare.slice(0, open));
    // "<power quadrant system@example.com>": the word with the @ is the address
    const tokens = inside.split(/\s+/).filter(Boolean);
    const address = tokens.length > 1 ? (tokens.filter((t) => t.includes('@')).pop() ?? '') : (tokens[0] ?? '');
    if (address) return { address, name: phrase || commentName };
    // "postmaster (Mail Delivery System) <>": the word before the empty brackets is the local part
    if (LOCAL_PART.test(phrase)) return { address: phrase, name: commentName || phrase };
    return null;
  }
  const rest = bare.trim();
  // one word (quoted parts included): an address, with or without a domain
  if (rest && !/\s/.test(rest.replace(/"(?:[^"\\]|\\.)*"/g, 'q'))) {
    const unquoted = /^"([^"\s]*@[^"\s]*)"$/.exec(rest)?.[1] ?? rest;
    return { address: unquoted, name: commentName };
  }
  // "Big Bug bb@bug.com": the word with the @ is the address, the others the name
  const words = rest.split(/\s+/);
  const at = words.findLastIndex((w) => /^[^@"]+@[^@"]+$/.test(w));
  if (at !== -1) return { address: words[at], name: decodePhrase(words.filter((_w, i) => i !== at).join(' ')) || commentName };
  return null;
}

/**
 * The sender named by the From header values (raw, unfolded): the first mailbox with a whole
 * address, else the first with a local part alone (address without a domain), else null.
 */
export function readFrom(values: string[]): Address | null {
  let domainless: Address | null = null;
  for (const value of values) {
    for (const text of mailboxes(value)) {
      const box = readMailbox(text);
      if (!box) continue;
      const address = box.address.trim().toLowerCase();
      if (hasDomain(address)) return { address, name: box.name };
      if (!domainless && LOCAL_PART.test(address)) domainless = { address, name: box.name };
    }
  }
  return domainless;
}
