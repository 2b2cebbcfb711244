// Each peer source of ../shared/fixtures/peers: which files are mail, and how its transcribed
// expectations (formats in peers/SOURCES.md) map onto what our intake decided.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { mayAcknowledge } from '../../src/intake/may-acknowledge.ts';
import { DESK_HOST, wrapBody, type Run } from './harness.ts';
import { parse as parseYamlText } from 'yaml';

export type CheckKind = 'fields' | 'bounce' | 'auto' | 'trim';
export type Check = { kind: CheckKind; ok: boolean; what: string; expected?: unknown; actual?: unknown };
export type Item = { name: string; raw: Buffer; checks?: (run: Run) => Check[] };
/** `dir`: where the source's files are when they are not a folder of the peers corpus (our own cases). */
export type Source = { name: string; ourAddresses?: string[]; note?: string; dir?: string; items(dir: string): Item[] };

// ---------- helpers -------------------------------------------------------------------------

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const full = path.join(dir, f);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
}

const read = (file: string) => readFileSync(file);
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

export function normText(s: string | null | undefined): string {
  return (s ?? '').replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ').split('\n').map((l) => l.trimEnd()).join('\n').trim();
}
// Zammad's expectation files are Ruby YAML dumps: their local tags (!ruby/hash:…, !binary) carry no
// meaning for the checks, so unknown tags fall back to the plain value (a !binary block stays base64).
function parseYaml(source: string): unknown {
  return parseYamlText(source, { logLevel: 'silent', schema: 'core', uniqueKeys: false });
}

const squash = (s: string | null | undefined) => normText(s).replace(/\s+/g, ' ');
const noSpace = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, '');

/** The new content we stored for the message (the whole text when nothing was trimmed). */
export function replyOf(run: Run): string {
  const d = run.draft;
  return normText(d ? (d.content.newText ?? d.content.text) : '');
}

function check(kind: CheckKind, what: string, expected: unknown, actual: unknown, ok?: boolean): Check {
  return { kind, what, expected, actual, ok: ok ?? JSON.stringify(expected) === JSON.stringify(actual) };
}

const isAuto = (run: Run) => !!run.draft?.autoReply;
const isBounce = (run: Run) => !!run.draft?.bounce;
const requesterOf = (run: Run) => run.draft?.requester?.address ?? null;
const listedAttachments = (run: Run) => (run.msg?.attachments ?? []).filter((a) => !a.inline);

// ---------- zammad --------------------------------------------------------------------------

const zammad: Source = {
  name: 'zammad',
  items(dir) {
    const mailDir = path.join(dir, 'test/data/mail');
    const boxes: Item[] = walk(mailDir)
      .filter((f) => f.endsWith('.box'))
      .map((file) => {
        const yml = file.replace(/\.box$/, '.yml');
        const exp = existsSync(yml) ? (parseYaml(readFileSync(yml, 'utf8')) as Record<string, unknown>) : null;
        return {
          name: path.relative(dir, file),
          raw: read(file),
          checks: exp
            ? (run) => {
                const out: Check[] = [];
                const m = run.msg;
                if (typeof exp.from_email === 'string') out.push(check('fields', 'from address', exp.from_email.toLowerCase(), m?.from?.address ?? null));
                if (typeof exp.from_display_name === 'string' && exp.from_display_name) out.push(check('fields', 'from name', exp.from_display_name, m?.from?.name ?? null));
                out.push(check('fields', 'subject', squash(typeof exp.subject === 'string' ? exp.subject : ''), squash(m?.subject)));
                const expectedFiles = (Array.isArray(exp.attachments) ? exp.attachments : [])
                  .map((a) => (a as Record<string, unknown> | null)?.filename)
                  .filter((f): f is string => typeof f === 'string' && f !== 'message.html');
                if (expectedFiles.length) {
                  const ours = new Set([...(m?.attachments ?? []).map((a) => a.filename), ...(m?.omittedAttachments ?? []).map((a) => a.filename)]);
                  out.push(check('fields', 'attachment names', expectedFiles, expectedFiles.filter((f) => ours.has(f))));
                }
                if (/mailer-daemon|postmaster/i.test(String(exp.from_email ?? '')) || /undeliver|bounce/i.test(file)) {
                  out.push(check('bounce', 'delivery failure report', true, isBounce(run)));
                }
                return out;
              }
            : undefined,
        };
      });
    const auto = path.join(dir, '_transcribed/auto_response');
    const expected = existsSync(path.join(auto, 'expected.json'))
      ? readJson<{ cases: { id: string; expect: Record<string, boolean> }[] }>(path.join(auto, 'expected.json')).cases
      : [];
    const autoItems: Item[] = expected
      .filter((c) => existsSync(path.join(auto, `${c.id}.eml`)))
      .map((c) => ({
        name: `_transcribed/auto_response/${c.id}.eml`,
        // the tests interpolate Zammad's FQDN into the Message-ID: ours stands in for it
        raw: Buffer.from(readFileSync(path.join(auto, `${c.id}.eml`), 'latin1').replaceAll('#{fqdn}', DESK_HOST), 'latin1'),
        checks: (run) => {
          const out: Check[] = [];
          if ('x-zammad-send-auto-response' in c.expect) {
            out.push(check('auto', 'may be acknowledged', c.expect['x-zammad-send-auto-response'], !!run.draft && mayAcknowledge(run.draft)));
          }
          if ('x-zammad-out-of-office' in c.expect) out.push(check('auto', 'out of office', c.expect['x-zammad-out-of-office'], isAuto(run)));
          return out;
        },
      }));
    return [...boxes, ...autoItems];
  },
};

// ---------- sisimai -------------------------------------------------------------------------

type SisimaiResult = { status: string; reason: string; hardbounce: boolean };
const sisimai: Source = {
  name: 'sisimai-set-of-emails',
  items(dir) {
    const expFile = path.join(dir, '_transcribed/expected.go-sisimai.json');
    const expected = existsSync(expFile) ? readJson<{ expected: Record<string, { results: SisimaiResult[] }> }>(expFile).expected : {};
    return ['bsd', 'dos', 'not'].flatMap((sub) =>
      walk(path.join(dir, 'maildir', sub))
        .filter((f) => f.endsWith('.eml'))
        .map((file) => {
          const base = path.basename(file);
          const exp = sub === 'not' ? null : expected[base];
          return {
            name: path.relative(dir, file),
            raw: read(file),
            checks:
              sub === 'not'
                ? (run: Run) => [check('bounce', 'not a bounce', false, isBounce(run))]
                : exp
                  ? (run: Run) => {
                      const first = exp.results[0];
                      const reason = first?.reason;
                      if (reason === 'vacation') return [check('auto', 'vacation auto-reply', true, isAuto(run) && !isBounce(run))];
                      if (reason === 'feedback') return [check('auto', 'feedback report (ARF) is automatic', true, isAuto(run) || isBounce(run))];
                      const out = [check('bounce', `bounce (${reason})`, true, isBounce(run))];
                      if (reason === 'delivered') out.push(check('bounce', 'successful delivery is not a failure', false, run.draft?.bounce?.permanent ?? null));
                      else if (first?.status && /^[245]\.\d+\.\d+$/.test(first.status) && !/^[245]\.0\.9\d\d$/.test(first.status)) {
                        // sisimai's own pseudo codes (5.0.9xx) are left out: no MTA writes them
                        out.push(check('bounce', 'status code', first.status, run.draft?.bounce?.status ?? null));
                      }
                      return out;
                    }
                  : undefined,
          };
        }),
    );
  },
};

// ---------- discourse -----------------------------------------------------------------------

type DiscourseCase = Record<string, string | boolean | undefined>;
const stripMarkdown = (s: string) => squash(s.replace(/\*\*?|__?|~~/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));

function discourse(): Source {
  const tickets = new Map<string, number | null>();
  return {
    name: 'discourse',
    // reply_by_email_address = reply+%{reply_key}@bar.com in Discourse's spec settings
    ourAddresses: ['reply@bar.com'],
    items(dir) {
      const expFile = path.join(dir, '_transcribed/expected.json');
      const cases = existsSync(expFile) ? readJson<{ cases: Record<string, DiscourseCase> }>(expFile).cases : {};
      const byFile = new Map(Object.entries(cases));
      return walk(path.join(dir, 'spec/fixtures/emails'))
        .filter((f) => f.endsWith('.eml'))
        .map((file) => {
          const rel = path.relative(dir, file);
          const e = byFile.get(rel);
          return {
            name: rel,
            raw: read(file),
            checks: e
              ? (run: Run) => {
                  tickets.set(path.basename(file), run.result?.ticketId ?? null);
                  const out: Check[] = [];
                  const error = String(e.error ?? '');
                  if (error.endsWith('AutoGeneratedEmailError')) out.push(check('auto', 'automatic mail', true, isAuto(run)));
                  if (error.endsWith('BouncedEmailError')) {
                    out.push(check('bounce', 'bounce', true, isBounce(run)));
                    const status = e.status ?? e.bounce_error_code;
                    if (typeof status === 'string') out.push(check('bounce', 'status code', status, run.draft?.bounce?.status ?? null));
                  }
                  if (error.endsWith('FromReplyByAddressError')) out.push(check('auto', 'own address: loop dropped', 'ignored', run.result?.outcome ?? null));
                  if (error.endsWith('NoSenderDetectedError')) out.push(check('fields', 'no sender: quarantined', 'quarantined', run.result?.outcome ?? null));
                  if (e.outcome === 'accepted') out.push(check('fields', 'accepted without Message-ID', 'created', run.result?.outcome ?? null));
                  if (typeof e.post_raw === 'string') out.push(check('trim', 'reply text', stripMarkdown(e.post_raw), stripMarkdown(replyOf(run))));
                  if (typeof e.post_raw_prefer_text === 'string') out.push(check('trim', 'reply text (text part)', stripMarkdown(e.post_raw_prefer_text), stripMarkdown(replyOf(run))));
                  if (e.outcome === 'reply_in_same_topic') {
                    out.push(check('fields', 'threads onto email_reply_1', tickets.get('email_reply_1.eml') ?? 'root missing', run.result?.ticketId ?? null));
                  }
                  if (typeof e.user_name === 'string') out.push(check('fields', 'sender name', e.user_name, run.msg?.from?.name ?? null));
                  return out;
                }
              : undefined,
          };
        });
    },
  };
}

// ---------- chatwoot ------------------------------------------------------------------------

type ChatwootCase = { fixture: string; expect: Record<string, unknown> };
const chatwoot: Source = {
  name: 'chatwoot',
  // Chatwoot's own sender address (its notification mail must not open a conversation)
  ourAddresses: ['accounts@chatwoot.com'],
  note: 'creates_message for an unmatched bounce is not compared: we record such bounces without a ticket by design',
  items(dir) {
    const expFile = path.join(dir, '_transcribed/expected.json');
    const cases = existsSync(expFile) ? readJson<{ cases: ChatwootCase[] }>(expFile).cases : [];
    const byFile = new Map(cases.map((c) => [c.fixture, c.expect]));
    return walk(path.join(dir, 'spec/fixtures/files'))
      .filter((f) => f.endsWith('.eml'))
      .map((file) => {
        const rel = path.relative(dir, file);
        const e = byFile.get(rel);
        return { name: rel, raw: read(file), checks: e ? (run: Run) => chatwootChecks(e, run) : undefined };
      });
  },
};

function chatwootChecks(e: Record<string, unknown>, run: Run): Check[] {
  const m = run.msg;
  const out: Check[] = [];
  const reply = replyOf(run);
  for (const [key, v] of Object.entries(e)) {
    switch (key) {
      case 'subject':
        out.push(check('fields', 'subject', v, m?.subject ?? null));
        break;
      case 'text_full':
        out.push(check('fields', 'text', normText(String(v)), normText(m?.text)));
        break;
      case 'attachment_count':
        out.push(check('fields', 'attachments (not inline)', v, listedAttachments(run).length));
        break;
      case 'in_reply_to':
        out.push(check('fields', 'In-Reply-To', v, m?.inReplyTo[0] ?? null));
        break;
      case 'references':
        out.push(check('fields', 'References', v, m?.references ?? null));
        break;
      case 'date_iso':
        out.push(check('fields', 'date', Date.parse(String(v)), m?.date ?? null));
        break;
      case 'auto_reply':
        out.push(check('auto', 'automatic (auto-reply or bounce)', v, isAuto(run) || isBounce(run)));
        break;
      case 'creates_conversation':
        out.push(check('auto', 'own notification: no ticket', v, run.result?.outcome === 'created'));
        break;
      case 'content':
        out.push(check('trim', 'stored content', normText(String(v)), reply));
        break;
      case 'content_includes':
        out.push(check('trim', 'content includes', true, reply.includes(String(v)), reply.includes(String(v))));
        break;
      case 'text_reply_prefix':
        out.push(check('trim', 'reply starts with', String(v), reply.slice(0, String(v).length)));
        break;
      case 'html_reply_includes': {
        const line = String(v).split('\n')[0];
        out.push(check('trim', 'reply includes', line, reply.includes(line) ? line : reply.slice(0, 80)));
        break;
      }
      case 'html_full':
        if (v === null) out.push(check('fields', 'no HTML content', '', normText(m?.html ?? '')));
        break;
      case 'html_full_not_includes': {
        // we keep cid: in the stored HTML; the console rewrites each one that has an inline image
        const inline = new Set((m?.attachments ?? []).filter((a) => a.inline).map((a) => `cid:${a.contentId}`));
        const unresolved = (v as string[]).filter((cid) => !inline.has(cid));
        out.push(check('fields', 'inline images resolvable', [], unresolved));
        break;
      }
      case 'text_full_not_includes':
        out.push(check('fields', 'text without image stand-ins', [], (v as string[]).filter((s) => m?.text.includes(s))));
        break;
      case 'reply_to': {
        const addr = /<([^>]+)>/.exec(String(v))?.[1] ?? String(v);
        out.push(check('fields', 'Reply-To', addr, m?.replyTo[0]?.address ?? null));
        break;
      }
      case 'contact_email': {
        const s = String(v);
        const expected = s === '= first From address' ? m?.from?.address
          : s.startsWith('= the Reply-To') ? m?.replyTo[0]?.address
          : s.startsWith('= X-Original-Sender') ? m?.headers['x-original-sender']?.[0]?.toLowerCase()
          : s;
        out.push(check('fields', 'requester address', expected ?? null, requesterOf(run)));
        break;
      }
      case 'contact_name':
        out.push(check('fields', 'requester name', m?.from?.name ?? null, run.draft?.requester?.name ?? null));
        break;
      default:
        break; // structural (multipart, content type) or prose (threading) expectations
    }
  }
  return out;
}

// ---------- reply-trimming corpora ----------------------------------------------------------

type FragmentCheck = { kind: string; index?: number; value?: unknown; regex?: string; js_regex?: string };
type FragmentCase = { fixture: string; checks: FragmentCheck[] };

function regexOf(c: FragmentCheck): RegExp | null {
  if (c.js_regex) {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(c.js_regex);
    return m ? new RegExp(m[1], m[2].includes('m') ? m[2] : `${m[2]}m`) : null;
  }
  return c.regex ? new RegExp(c.regex.replace(/\\A/g, '^').replace(/\\z/gi, '$'), 'm') : null;
}

/**
 * What a fragment-based parser's assertions say about the visible reply: the asserted
 * parse_reply / visible text; the whole text when it is one fragment; the first fragment when the
 * second one is hidden or not said to be visible (a quote header, a quote, a signature); and the
 * regular expressions the first fragment must match.
 */
function expectedReply(checks: FragmentCheck[], body: string): { exact?: string; prefix?: string; regexes: RegExp[] } | null {
  const regexes = checks
    .filter((c) => (c.kind === 'fragment_matches' || c.kind === 'fragment_trimmed_matches') && c.index === 0)
    .map(regexOf)
    .filter((r): r is RegExp => !!r);
  for (const c of checks) {
    if (['parse_reply_equals', 'visible_text_equals', 'visible_text_trimmed_equals'].includes(c.kind)) return { exact: normText(String(c.value)), regexes };
  }
  if (checks.some((c) => c.kind === 'fragment_count' && c.value === 1)) return { exact: normText(body), regexes };
  const hidden = checks.find((c) => c.kind === 'hidden')?.value as boolean[] | undefined;
  const secondVisible = hidden ? hidden[1] === false : checks.some((c) => c.kind === 'hidden_at' && c.index === 1 && c.value === false);
  const eq = checks.find((c) => (c.kind === 'fragment_equals' || c.kind === 'fragment_trimmed_equals') && c.index === 0);
  // the first fragment is the whole visible reply only when nothing visible can follow it: with more
  // than two fragments and no hidden flags, a later unquoted fragment (a bottom post) may be visible too
  const count = checks.find((c) => c.kind === 'fragment_count')?.value;
  if (eq && !secondVisible && !hidden && typeof count === 'number' && count > 2) return { prefix: normText(String(eq.value)), regexes };
  if (eq && !secondVisible) return { exact: normText(String(eq.value)), regexes };
  return regexes.length ? { regexes } : null;
}

function fragmentSource(name: string, sub: string): Source {
  return {
    name,
    items(dir) {
      const expFile = path.join(dir, '_transcribed/expected.json');
      const cases = existsSync(expFile) ? readJson<{ cases: FragmentCase[] }>(expFile).cases : [];
      const byFile = new Map<string, FragmentCheck[]>();
      for (const c of cases) byFile.set(c.fixture, [...(byFile.get(c.fixture) ?? []), ...c.checks]);
      return walk(path.join(dir, sub))
        .filter((f) => f.endsWith('.txt'))
        .map((file) => {
          const body = readFileSync(file, 'utf8');
          const exp = expectedReply(byFile.get(path.basename(file)) ?? [], body);
          return {
            name: path.relative(dir, file),
            raw: wrapBody(body),
            checks: exp
              ? (run: Run) => {
                  const reply = replyOf(run);
                  const out = exp.exact !== undefined ? [check('trim', 'visible reply', exp.exact, reply)] : [];
                  if (exp.prefix !== undefined) out.push(check('trim', 'visible reply starts with', exp.prefix, reply.slice(0, exp.prefix.length)));
                  for (const re of exp.regexes) out.push(check('trim', `visible reply matches ${String(re)}`, true, re.test(reply), re.test(reply)));
                  return out;
                }
              : undefined,
          };
        });
    },
  };
}

const replyTrimmer: Source = {
  name: 'discourse-email_reply_trimmer',
  items(dir) {
    return walk(path.join(dir, 'test/emails'))
      .filter((f) => f.endsWith('.txt'))
      .map((file) => {
        const trimmed = path.join(dir, 'test/trimmed', path.basename(file));
        const expected = existsSync(trimmed) ? normText(readFileSync(trimmed, 'utf8')) : null;
        return {
          name: path.relative(dir, file),
          raw: wrapBody(readFileSync(file, 'utf8')),
          checks: expected !== null ? (run: Run) => [check('trim', 'trimmed reply', expected, replyOf(run))] : undefined,
        };
      });
  },
};

type TalonCase = { fixture?: string; kind: string; value?: string; body?: string; patched?: boolean | null; id?: string; expected_signature_file?: string };
const talon: Source = {
  name: 'mailgun-talon',
  note: 'tests run under patched settings (e.g. MAX_LINES_COUNT=1) are left out',
  items(dir) {
    const expFile = path.join(dir, '_transcribed/expected.json');
    const cases = existsSync(expFile) ? readJson<{ cases: TalonCase[] }>(expFile).cases : [];
    const items: Item[] = [];
    const covered = new Set<string>();
    for (const c of cases) {
      if (c.patched) continue;
      if (c.kind === 'plain_reply_equals') {
        const raw = c.body !== undefined ? wrapBody(c.body) : c.fixture && existsSync(path.join(dir, c.fixture)) ? read(path.join(dir, c.fixture)) : null;
        if (!raw) continue;
        if (c.fixture) covered.add(c.fixture);
        const expected = normText(c.value);
        items.push({ name: c.fixture ?? c.id ?? 'inline', raw, checks: (run) => [check('trim', 'reply', expected, replyOf(run))] });
      } else if (c.kind === 'html_reply_text_equals_ignoring_whitespace' && c.fixture && existsSync(path.join(dir, c.fixture))) {
        covered.add(c.fixture);
        const expected = noSpace(c.value);
        items.push({ name: c.fixture, raw: wrapBody(readFileSync(path.join(dir, c.fixture), 'utf8'), { html: true }), checks: (run) => [check('trim', 'reply (HTML)', expected, noSpace(replyOf(run)))] });
      } else if (c.kind === 'signature_split' && c.fixture && c.expected_signature_file && existsSync(path.join(dir, c.fixture))) {
        covered.add(c.fixture);
        const body = readFileSync(path.join(dir, c.fixture), 'utf8').trim();
        const sig = readFileSync(path.join(dir, c.expected_signature_file), 'utf8').trim();
        // an empty signature file: nothing is a signature, the whole body is the text
        const expected = normText(sig && body.endsWith(sig) ? body.slice(0, -sig.length) : body);
        items.push({ name: c.fixture, raw: wrapBody(body), checks: (run) => [check('trim', 'text without signature', expected, replyOf(run))] });
      }
    }
    for (const file of walk(path.join(dir, 'tests/fixtures')).filter((f) => f.endsWith('.eml'))) {
      const rel = path.relative(dir, file);
      if (!covered.has(rel)) items.push({ name: rel, raw: read(file) });
    }
    return items;
  },
};

// ---------- parsers' field corpora ----------------------------------------------------------

type PhpAddress = { display: string; address: string; is_group: boolean };
type PhpCase = {
  fixture: string; subject?: string; from_addresses?: PhpAddress[]; to_addresses?: PhpAddress[];
  text_body?: { mode: string; value?: string; count?: number; substring?: string };
  attachments?: { filename: string; size: number; content_type: string }[];
};
const php: Source = {
  name: 'php-mime-mail-parser',
  items(dir) {
    const expFile = path.join(dir, '_transcribed/expected.json');
    const cases = existsSync(expFile) ? readJson<{ cases: PhpCase[] }>(expFile).cases : [];
    const byFile = new Map(cases.map((c) => [c.fixture, c]));
    return walk(path.join(dir, 'tests/mails')).map((file) => {
      const rel = path.relative(dir, file);
      const e = byFile.get(rel);
      return {
        name: rel,
        raw: read(file),
        checks: e
          ? (run: Run) => {
              const m = run.msg;
              const out: Check[] = [];
              if (e.subject !== undefined) out.push(check('fields', 'subject', squash(e.subject), squash(m?.subject)));
              const from = e.from_addresses?.find((a) => !a.is_group && a.address.includes('@'));
              if (from) out.push(check('fields', 'from address', from.address.toLowerCase(), m?.from?.address ?? null));
              const to = (e.to_addresses ?? []).filter((a) => !a.is_group && a.address.includes('@')).map((a) => a.address.toLowerCase());
              if (to.length) out.push(check('fields', 'to addresses', to, m?.to.map((a) => a.address) ?? null));
              if (e.text_body?.mode === 'exact' && e.text_body.value !== undefined) out.push(check('fields', 'text body', normText(e.text_body.value), normText(m?.text)));
              if (e.text_body?.mode === 'count' && e.text_body.substring) {
                const n = (m?.text ?? '').split(e.text_body.substring).length - 1;
                out.push(check('fields', `text contains "${e.text_body.substring.slice(0, 30)}"`, e.text_body.count, n));
              }
              if (e.attachments) {
                const ours = [...(m?.attachments ?? []).map((a) => ({ filename: a.filename, size: a.size })), ...(m?.omittedAttachments ?? [])];
                // a transcribed attachment without a size is compared by name alone
                const key = (a: { filename: string; size?: number }, sized: boolean) => (sized ? `${a.filename}:${a.size}` : a.filename);
                const sized = e.attachments.every((a) => typeof a.size === 'number');
                out.push(check('fields', 'attachments (name, size)', e.attachments.map((a) => key(a, sized)).sort(), ours.map((a) => key(a, sized)).sort()));
              }
              return out;
            }
          : undefined,
      };
    });
  },
};

const thunderbird: Source = {
  name: 'thunderbird-comm-central',
  items(dir) {
    const expFile = path.join(dir, '_derived/expected.json');
    const cases = existsSync(expFile) ? readJson<{ cases: Record<string, { subject: string; body: string }> }>(expFile).cases : {};
    return Object.entries(cases)
      .filter(([f]) => existsSync(path.join(dir, f)))
      .map(([f, e]) => ({
        name: f,
        raw: read(path.join(dir, f)),
        checks: (run: Run) => [check('fields', 'subject', squash(e.subject), squash(run.msg?.subject)), check('fields', 'body', normText(e.body), normText(run.msg?.text))],
      }));
  },
};

const flanker: Source = {
  name: 'mailgun-flanker',
  items(dir) {
    const expFile = path.join(dir, '_transcribed/expected.json');
    const cases = existsSync(expFile) ? readJson<{ cases: { fixture: string; is_bounce: boolean; status: string }[] }>(expFile).cases : [];
    const byFile = new Map(cases.map((c) => [c.fixture, c]));
    return walk(path.join(dir, 'tests/fixtures/messages')).map((file) => {
      const rel = path.relative(dir, file);
      const e = byFile.get(rel);
      return {
        name: rel,
        raw: read(file),
        checks: e
          ? (run: Run) => [
              check('bounce', e.is_bounce ? 'bounce' : 'not a bounce', e.is_bounce, isBounce(run)),
              ...(e.status ? [check('bounce', 'status code', e.status, run.draft?.bounce?.status ?? null)] : []),
            ]
          : undefined,
      };
    });
  },
};

/** Sources without transcribed expectations: parse and import without crashing. */
function robustness(name: string, sub: string, keep: (f: string) => boolean): Source {
  return {
    name,
    note: 'no transcribed expectations: robustness only',
    items: (dir) => walk(path.join(dir, sub)).filter(keep).map((file) => ({ name: path.relative(dir, file), raw: read(file) })),
  };
}

// ---------- our own cases: fixtures/email/corpus/<kind>/cases.json -------------------------

/**
 * What one of our cases expects (every key optional). Fields: from_address, from_name, subject, to,
 * text (whole, normalised), text_includes / text_excludes, html_includes, attachments (names that
 * must be reachable: listed, or named as left out), attachment_count. Bounces: is_bounce,
 * bounce_status, bounce_permanent, bounce_recipients. Automatic mail: is_auto, may_acknowledge,
 * outcome. Trimming: reply (whole, normalised), reply_includes, reply_excludes.
 */
export type OwnExpect = {
  from_address?: string; from_name?: string; subject?: string; to?: string[]; text?: string; text_includes?: string[]; text_excludes?: string[];
  html_includes?: string[]; attachments?: string[]; attachment_count?: number;
  is_bounce?: boolean; bounce_status?: string | null; bounce_permanent?: boolean; bounce_recipients?: string[];
  is_auto?: boolean; may_acknowledge?: boolean; outcome?: string;
  reply?: string; reply_includes?: string[]; reply_excludes?: string[];
};
export type OwnCase = { file: string; source: string; note?: string; expect: OwnExpect };

export const OWN_KINDS = ['charsets', 'parts', 'senders', 'bounces', 'auto-replies', 'trimming'] as const;

export function ownChecks(e: OwnExpect, run: Run): Check[] {
  const m = run.msg;
  const out: Check[] = [];
  const text = normText(m?.text);
  const reply = replyOf(run);
  if (e.from_address !== undefined) out.push(check('fields', 'from address', e.from_address, m?.from?.address ?? null));
  if (e.from_name !== undefined) out.push(check('fields', 'from name', e.from_name, m?.from?.name ?? null));
  if (e.subject !== undefined) out.push(check('fields', 'subject', squash(e.subject), squash(m?.subject)));
  if (e.to) out.push(check('fields', 'to addresses', e.to, m?.to.map((a) => a.address) ?? null));
  if (e.text !== undefined) out.push(check('fields', 'text', normText(e.text), text));
  for (const s of e.text_includes ?? []) out.push(check('fields', 'text includes', s, text.includes(s) ? s : text.slice(0, 200)));
  for (const s of e.text_excludes ?? []) out.push(check('fields', 'text excludes', true, !text.includes(s), !text.includes(s)));
  for (const s of e.html_includes ?? []) out.push(check('fields', 'HTML includes', true, (m?.html ?? '').includes(s), (m?.html ?? '').includes(s)));
  if (e.attachments) {
    const ours = new Set([...(m?.attachments ?? []).map((a) => a.filename), ...(m?.omittedAttachments ?? []).map((a) => a.filename)]);
    out.push(check('fields', 'attachment names', e.attachments, e.attachments.filter((f) => ours.has(f)), e.attachments.every((f) => ours.has(f))));
  }
  if (e.attachment_count !== undefined) out.push(check('fields', 'attachments (not inline)', e.attachment_count, listedAttachments(run).length));
  if (e.is_bounce !== undefined) out.push(check('bounce', e.is_bounce ? 'bounce' : 'not a bounce', e.is_bounce, isBounce(run)));
  if (e.bounce_status !== undefined) out.push(check('bounce', 'status code', e.bounce_status, run.draft?.bounce?.status ?? null));
  if (e.bounce_permanent !== undefined) out.push(check('bounce', 'permanent', e.bounce_permanent, run.draft?.bounce?.permanent ?? null));
  if (e.bounce_recipients) out.push(check('bounce', 'recipients', e.bounce_recipients, run.draft?.bounce?.recipients ?? null));
  if (e.is_auto !== undefined) out.push(check('auto', e.is_auto ? 'automatic reply' : 'not an automatic reply', e.is_auto, isAuto(run)));
  if (e.may_acknowledge !== undefined) out.push(check('auto', 'may be acknowledged', e.may_acknowledge, !!run.draft && mayAcknowledge(run.draft)));
  if (e.outcome !== undefined) out.push(check('auto', 'outcome', e.outcome, run.result?.outcome ?? null));
  if (e.reply !== undefined) out.push(check('trim', 'reply', normText(e.reply), reply));
  for (const s of e.reply_includes ?? []) out.push(check('trim', 'reply includes', s, reply.includes(s) ? s : reply.slice(0, 200)));
  for (const s of e.reply_excludes ?? []) out.push(check('trim', 'reply excludes', true, !reply.includes(s), !reply.includes(s)));
  return out;
}

/**
 * Our cases of one kind (fixtures/email/corpus/<kind>): a .eml is the mail as sent; a .txt or
 * .html is a body, wrapped in a plain mail (as the reply-trimming corpora are).
 */
export function ownSource(kind: string, root: string): Source {
  const dir = path.join(root, 'fixtures/email/corpus', kind);
  return {
    name: `own/${kind}`,
    dir,
    items(d) {
      const cases = existsSync(path.join(d, 'cases.json')) ? readJson<{ cases: OwnCase[] }>(path.join(d, 'cases.json')).cases : [];
      return cases.map((c) => {
        if (!c.source?.trim()) throw new Error(`${kind}/${c.file}: the case does not name where its mail comes from`);
        const file = path.join(d, c.file);
        const raw = c.file.endsWith('.eml') ? read(file) : wrapBody(readFileSync(file, 'utf8'), { html: c.file.endsWith('.html') });
        return { name: c.file, raw, checks: (run: Run) => ownChecks(c.expect, run) };
      });
    },
  };
}

export function allSources(root?: string): Source[] {
  return [
    ...(root ? OWN_KINDS.map((k) => ownSource(k, root)) : []),
    zammad,
    sisimai,
    robustness('stalwart-mail-parser', 'resources/eml', (f) => f.endsWith('.eml')),
    robustness('james-mime4j', 'core/src/test/resources', (f) => f.endsWith('.msg')),
    replyTrimmer,
    fragmentSource('github-email_reply_parser', 'test/emails'),
    fragmentSource('crisp-email-reply-parser', 'test/fixtures'),
    talon,
    chatwoot,
    discourse(),
    php,
    robustness('mikel-mail', 'spec/fixtures/emails', (f) => f.endsWith('.eml')),
    robustness('bestpractical-rt', 't/data/emails', () => true),
    flanker,
    robustness('nodemailer-mailparser', 'test/fixtures', (f) => f.endsWith('.eml')),
    robustness('postal-mime', 'test/fixtures', () => true),
    thunderbird,
  ];
}
