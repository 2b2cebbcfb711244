// The README and docs/ link to each other and to files of the project: every relative link must
// lead to a file that exists, and every #anchor to a heading in that file (GitHub's anchor rules).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
}

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1].replace(/`/g, ''))));
}

describe('documentation links', () => {
  it('computes anchors as GitHub does', () => {
    expect(anchorOf("What the desk believes about a mail's sender")).toBe('what-the-desk-believes-about-a-mails-sender');
    expect(anchorOf('Workflow, SLA and contracts')).toBe('workflow-sla-and-contracts');
  });

  for (const file of DOCS) {
    it(`${file}: every relative link and anchor resolves`, () => {
      const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
      const broken: string[] = [];
      for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/i.test(target)) continue;
        const [rel, anchor] = target.split('#');
        const resolved = rel ? path.normalize(path.join(path.dirname(file), rel)) : file;
        if (!existsSync(path.join(ROOT, resolved))) {
          broken.push(`${target}: no file ${resolved}`);
          continue;
        }
        if (anchor && resolved.endsWith('.md') && !anchorsIn(resolved).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${resolved}`);
      }
      expect(broken).toEqual([]);
    });
  }
});
