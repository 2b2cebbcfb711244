// Malformed MIME: a mutation fuzzer over real mail (our fixtures and the benchmark corpus).
// Every case must end as a stored outcome (imported, or quarantined with its raw bytes kept);
// intake never throws and memory stays bounded. FUZZ_CASES (default 300; the fault run uses
// 10,000) and FUZZ_SEED make a run reproducible.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCorpus } from '../../bench/corpus.ts';
import { buildServices } from '../../src/services.ts';
import { makeTestDeps, type TestDeps } from '../helpers/deps.ts';
import { seededRandom as rng } from '../../src/demo/random.ts';

const CASES = Number(process.env.FUZZ_CASES ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

type Mutation = (raw: Buffer, r: () => number) => Buffer;

const at = (raw: Buffer, r: () => number) => Math.floor(r() * Math.max(1, raw.length));
const text = (raw: Buffer) => raw.toString('latin1');
const bytes = (s: string) => Buffer.from(s, 'latin1');

export const MUTATIONS: Record<string, Mutation> = {
  flipBytes: (raw, r) => {
    const b = Buffer.from(raw);
    for (let i = 0; i < 1 + Math.floor(r() * 16); i++) b[at(b, r)] = Math.floor(r() * 256);
    return b;
  },
  truncate: (raw, r) => raw.subarray(0, at(raw, r)),
  dropHeaderBodySeparator: (raw) => bytes(text(raw).replace(/\r?\n\r?\n/, '\n')),
  duplicateHeaders: (raw) => {
    const s = text(raw);
    const end = s.search(/\r?\n\r?\n/);
    return end < 0 ? raw : bytes(s.slice(0, end) + '\r\n' + s.slice(0, end) + s.slice(end));
  },
  breakBoundary: (raw, r) => bytes(text(raw).replace(/boundary="?([^";\r\n]+)"?/i, (_m, b: string) => `boundary="${b.slice(0, Math.floor(r() * b.length))}"`)),
  removeClosingBoundary: (raw) => bytes(text(raw).replace(/--([^\r\n-][^\r\n]*)--\s*$/m, '')),
  bogusCharset: (raw, r) => bytes(text(raw).replace(/charset="?[\w-]+"?/gi, () => `charset=${['x-unknown', 'utf-7', 'iso-2022-kr', 'koi8-u', '', 'utf-16', 'windows-1258'][Math.floor(r() * 7)]}`)),
  bogusEncoding: (raw, r) => bytes(text(raw).replace(/Content-Transfer-Encoding: *[\w-]+/gi, () => `Content-Transfer-Encoding: ${['base64', 'quoted-printable', 'x-uuencode', 'bogus', '7bit'][Math.floor(r() * 5)]}`)),
  corruptBase64: (raw, r) => bytes(text(raw).replace(/^[A-Za-z0-9+/]{40,}={0,2}$/gm, (line) => (r() < 0.3 ? line.replace(/[A-Z]/g, '*') : line))),
  insertNuls: (raw, r) => {
    const i = at(raw, r);
    return Buffer.concat([raw.subarray(0, i), Buffer.alloc(1 + Math.floor(r() * 64)), raw.subarray(i)]);
  },
  hugeHeaderLine: (raw, r) => bytes(`X-Junk: ${'A'.repeat(1000 + Math.floor(r() * 200_000))}\r\n${text(raw)}`),
  encodedWordGarbage: (raw) => bytes(text(raw).replace(/^Subject:.*$/im, 'Subject: =?utf-8?B?////?= =?koi8-r?Q?=FF=FE=?= =?x?q?x?=')),
  deepNesting: (raw, r) => {
    const depth = 5 + Math.floor(r() * 60);
    let body = 'Content-Type: text/plain\r\n\r\nleaf\r\n';
    for (let i = 0; i < depth; i++) body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
    return bytes(`From: deep@nest.example\r\nSubject: nesting ${depth}\r\nMIME-Version: 1.0\r\n${body}`);
  },
  lfOnlyMixed: (raw, r) => bytes(text(raw).replace(/\r\n/g, (m) => (r() < 0.5 ? '\n' : m))),
  strangeAddresses: (raw, r) => bytes(text(raw).replace(/^From:.*$/im, ['From: <>', 'From: "unterminated <a@b', 'From: @@@', 'From: a@b, c@d, e@f', 'From: =?utf-8?B?0JjQstCw0L0=?= <ivan@пример.рф>', 'From:'][Math.floor(r() * 6)])),
  emptyParts: (raw) => bytes(text(raw).replace(/(--[^\r\n]+\r?\n)([\s\S]*?)(?=\r?\n--)/, '$1')),
};

let deps: TestDeps;
let seeds: Buffer[] = [];

beforeAll(async () => {
  deps = await makeTestDeps({}, { file: true });
  const dir = path.resolve(import.meta.dirname, '../../fixtures/email');
  seeds = readdirSync(dir)
    .filter((f) => /\.(eml|box|msg)$/.test(f))
    .map((f) => readFileSync(path.join(dir, f)))
    .filter((b) => b.length > 0 && b.length < 512 * 1024);
  seeds.push(...(await buildCorpus(60, SEED)).map((m) => m.raw));
});

afterAll(() => deps?.close());

it(`survives ${CASES} mutated mails: each is stored or quarantined, nothing throws, memory stays bounded`, async () => {
  const { intake } = buildServices(deps);
  const r = rng(SEED);
  const names = Object.keys(MUTATIONS);
  const outcomes: Record<string, number> = {};
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  for (let i = 0; i < CASES; i++) {
    let raw = seeds[Math.floor(r() * seeds.length)];
    // most cases get an id of their own so they go past dedupe into the steps and the writes
    if (r() < 0.85) raw = bytes(`Message-ID: <fuzz-${SEED}-${i}@fuzz.example>\r\n${text(raw).replace(/^Message-ID:.*\r?\n/im, '')}`);
    const applied: string[] = [];
    for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
      const name = names[Math.floor(r() * names.length)];
      applied.push(name);
      raw = MUTATIONS[name](raw, r);
    }
    let result;
    try {
      result = await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw });
    } catch (err) {
      throw new Error(`case ${i} (${applied.join('+')}, seed ${SEED}) threw: ${String(err)}`);
    }
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    if (result.outcome === 'quarantined') {
      // the evidence is kept: the raw bytes are retrievable exactly as received
      const rec = (await deps.db.get('select raw_sha256 from inbound_messages where id = ?', result.inboundId)) as { raw_sha256: string };
      expect((await deps.files.read('raw', rec.raw_sha256)).equals(raw)).toBe(true);
    }
    if (i % 100 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const stored = (await deps.db.get('select count(*) n from inbound_messages')) as { n: number };
  expect(Object.keys(outcomes).every((o) => ['created', 'appended', 'auto_reply', 'bounce', 'ignored', 'quarantined', 'duplicate'].includes(o))).toBe(true);
  expect(stored.n).toBe(CASES - (outcomes.duplicate ?? 0));
  // bounded: growth well below what leaking the inputs would cost
  expect(peak - baseline).toBeLessThan(512 * 1024 * 1024);
  console.log(`[fuzz] ${CASES} cases, seed ${SEED}: ${JSON.stringify(outcomes)}, rss growth ${Math.round((peak - baseline) / 1048576)} MB`);
}, 1_800_000);
