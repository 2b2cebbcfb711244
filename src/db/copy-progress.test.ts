import { describe, expect, it } from 'vitest';
import { createProgress, formatBytes } from './copy-progress.ts';

/** A stream that keeps what is written to it, as a terminal or as a log file. */
function output(tty: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, out: { isTTY: tty, columns, write: (s: string) => writes.push(s) } };
}

describe('the progress of a copy', () => {
  it('draws a bar in place on a terminal, no more often than it is told, and ends it with a line', () => {
    let t = 0;
    const { writes, out } = output(true);
    const p = createProgress(out, { now: () => t, redrawMs: 100 });
    p.start('files', 200, 'files', 4 * 1024 * 1024);
    expect(writes).toEqual([`\r\x1b[Kfiles [${'-'.repeat(24)}]   0%  0 of 200 files, 0 B of 4.0 MiB`]);
    t = 50;
    p.update(10, 100_000);
    expect(writes).toHaveLength(1); // too soon to draw again
    t = 2000;
    p.update(100, 2 * 1024 * 1024);
    expect(writes[1]).toBe(`\r\x1b[Kfiles [${'#'.repeat(12)}${'-'.repeat(12)}]  50%  100 of 200 files, 2.0 MiB of 4.0 MiB, 0:02 left`);
    p.note('a line of its own');
    expect(writes.slice(2)).toEqual(['\r\x1b[K', 'a line of its own\n', writes[1]]);
    t = 4000;
    p.update(200, 4 * 1024 * 1024);
    p.finish();
    expect(writes.slice(-2)).toEqual(['\r\x1b[K', 'files: done, 200 of 200 files, 4.0 MiB of 4.0 MiB in 4.0 s\n']);
    expect(writes.every((w) => !w.includes('\n') || w.endsWith('\n'))).toBe(true);
  });

  it('writes plain lines elsewhere: at the start, every few seconds, at the end', () => {
    let t = 0;
    const { writes, out } = output(false);
    const p = createProgress(out, { now: () => t, everyMs: 5000 });
    p.start('rows', 30_000, 'rows');
    for (let done = 1000; done <= 30_000; done += 1000) {
      t += 500;
      p.update(done);
    }
    p.finish();
    expect(writes).toEqual([
      'rows: 0%, 0 of 30,000 rows\n',
      'rows: 33%, 10,000 of 30,000 rows, 0:10 left\n',
      'rows: 66%, 20,000 of 30,000 rows, 0:05 left\n',
      'rows: 100%, 30,000 of 30,000 rows\n',
      'rows: done, 30,000 of 30,000 rows in 15.0 s\n',
    ]);
    expect(writes.join('')).not.toMatch(/\r|\x1b/);
  });

  it('keeps a bar within the terminal\'s width', () => {
    const { writes, out } = output(true, 40);
    createProgress(out).start('files', 1_000_000, 'files', 10 ** 12);
    expect(writes[0].replace('\r\x1b[K', '').length).toBeLessThan(40);
  });

  it('says bytes as a person reads them', () => {
    expect([0, 1023, 1024, 1536 * 1024, 5 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KiB', '1.5 MiB', '5.0 GiB']);
  });
});
