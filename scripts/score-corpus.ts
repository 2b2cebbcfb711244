// npm run score:corpus — runs the parser and the whole intake pipeline (real SQLite in a temp dir)
// over every mail in ../shared/fixtures/peers and compares with each source's expectations.
// Prints per source: imported / quarantined / crashed and the agreement on fields, bounce and
// auto-reply classification and reply trimming. --details lists every disagreement;
// --source NAME runs one source; PEERS_DIR overrides where the peers folder is.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openHarness } from './corpus/harness.ts';
import { allSources, type Check, type CheckKind } from './corpus/sources.ts';
import { findPeersDir } from './corpus/peers-dir.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const findPeers = () => findPeersDir(ROOT);

type Row = {
  source: string; mails: number; created: number; appended: number; auto: number; bounce: number; ignored: number;
  duplicate: number; quarantined: number; crashed: number; agree: Record<CheckKind, [number, number]>;
};

const KINDS: CheckKind[] = ['fields', 'bounce', 'auto', 'trim'];

async function main() {
  const { values } = parseArgs({ options: { details: { type: 'boolean' }, source: { type: 'string' }, markdown: { type: 'boolean' } } });
  const peers = findPeers();
  if (!peers) {
    console.error(
      `The peers folder was not found. Expected ${path.resolve(ROOT, '../shared/fixtures/peers')} (the shared fixtures beside the project),\n` +
        'or set PEERS_DIR=/path/to/fixtures/peers.',
    );
    process.exit(2);
  }
  console.log(`peers: ${peers}`);
  const rows: Row[] = [];
  const problems: string[] = [];
  const byWhat = new Map<string, [number, number]>();
  for (const source of allSources(ROOT)) {
    if (values.source && values.source !== source.name && !(values.source === 'own' && source.name.startsWith('own/'))) continue;
    const dir = source.dir ?? path.join(peers, source.name);
    if (!existsSync(dir)) {
      problems.push(`${source.name}: folder missing`);
      continue;
    }
    const h = await openHarness({ ourAddresses: source.ourAddresses });
    const row: Row = {
      source: source.name, mails: 0, created: 0, appended: 0, auto: 0, bounce: 0, ignored: 0, duplicate: 0, quarantined: 0, crashed: 0,
      agree: { fields: [0, 0], bounce: [0, 0], auto: [0, 0], trim: [0, 0] },
    };
    try {
      for (const item of source.items(dir)) {
        row.mails++;
        const run = await h.run(item.raw);
        if (run.crash) {
          row.crashed++;
          problems.push(`${source.name}/${item.name}: CRASH ${run.crash.split('\n').slice(0, 3).join(' | ')}`);
        }
        const outcome = run.result?.outcome;
        if (outcome === 'created') row.created++;
        else if (outcome === 'appended') row.appended++;
        else if (outcome === 'auto_reply') row.auto++;
        else if (outcome === 'bounce') row.bounce++;
        else if (outcome === 'ignored') row.ignored++;
        else if (outcome === 'duplicate') row.duplicate++;
        else if (outcome === 'quarantined') row.quarantined++;
        let checks: Check[] = [];
        try {
          checks = item.checks?.(run) ?? [];
        } catch (err) {
          problems.push(`${source.name}/${item.name}: comparison failed: ${String(err)}`);
        }
        for (const c of checks) {
          row.agree[c.kind][1]++;
          const what = `${c.kind}: ${whatOf(c.what)}`;
          const w = byWhat.get(what) ?? [0, 0];
          w[1]++;
          if (c.ok) w[0]++;
          byWhat.set(what, w);
          if (c.ok) row.agree[c.kind][0]++;
          else if (values.details) {
            problems.push(`${source.name}/${item.name}: ${c.kind} ${c.what}\n    expected ${JSON.stringify(c.expected)?.slice(0, 300)}\n    actual   ${JSON.stringify(c.actual)?.slice(0, 300)}`);
          }
        }
      }
    } finally {
      h.close();
    }
    rows.push(row);
  }
  print(rows, !!values.markdown);
  printKinds(byWhat, !!values.markdown);
  if (problems.length) {
    console.log(`\n${values.details ? 'Disagreements and problems' : 'Problems'}:`);
    for (const p of problems) console.log(`- ${p}`);
  }
}

/** A check's kind without its particulars: "bounce (userunknown)" and "bounce (expired)" are one kind. */
function whatOf(what: string): string {
  return what.replace(/\s*\(.*\)\s*$/, '').replace(/ matches \/.*$/, ' matches').replace(/ contains ".*$/, ' contains');
}

function printKinds(byWhat: Map<string, [number, number]>, markdown: boolean) {
  const cells = [...byWhat.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([what, n]) => [what, pct(n)]);
  console.log('\nper kind of check (all sources):');
  if (markdown) {
    console.log('| kind | agreement |\n|---|---|');
    for (const c of cells) console.log(`| ${c.join(' | ')} |`);
    return;
  }
  const w = Math.max(...cells.map((c) => c[0].length));
  for (const c of cells) console.log(`${c[0].padEnd(w)}  ${c[1]}`);
}

function pct([ok, n]: [number, number]): string {
  return n === 0 ? '—' : `${ok}/${n} (${Math.round((ok / n) * 100)}%)`;
}

function print(rows: Row[], markdown: boolean) {
  const head = ['source', 'mails', 'imported', 'quarantined', 'crashed', 'fields', 'bounce', 'auto-reply', 'trimming'];
  const total: Row = {
    source: 'total', mails: 0, created: 0, appended: 0, auto: 0, bounce: 0, ignored: 0, duplicate: 0, quarantined: 0, crashed: 0,
    agree: { fields: [0, 0], bounce: [0, 0], auto: [0, 0], trim: [0, 0] },
  };
  for (const r of rows) {
    for (const k of ['mails', 'created', 'appended', 'auto', 'bounce', 'ignored', 'duplicate', 'quarantined', 'crashed'] as const) total[k] += r[k];
    for (const k of KINDS) for (const i of [0, 1] as const) total.agree[k][i] += r.agree[k][i];
  }
  const cells = [...rows, total].map((r) => [
    r.source,
    String(r.mails),
    `${r.mails - r.quarantined - r.crashed}`,
    String(r.quarantined),
    String(r.crashed),
    ...KINDS.map((k) => pct(r.agree[k])),
  ]);
  if (markdown) {
    console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
    for (const c of cells) console.log(`| ${c.join(' | ')} |`);
  } else {
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
    console.log(line(head));
    for (const c of cells) console.log(line(c));
  }
  console.log('\nimported = stored as a ticket, a follow-up, an auto-reply, a bounce, an ignored loop or a duplicate;');
  console.log(`breakdown: created ${total.created}, appended ${total.appended}, auto-reply ${total.auto}, bounce ${total.bounce}, ignored ${total.ignored}, duplicate ${total.duplicate}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
