import { describe, expect, it } from 'vitest';
import { EXPORT_PROGRESS_ID, exportProgressRegistry } from './export-progress.ts';

describe('queue download progress', () => {
  const setup = (max = 3) => {
    let now = 1_000_000;
    const registry = exportProgressRegistry({ now: () => now, keepMs: 15 * 60_000, max });
    return { registry, tick: (ms: number) => (now += ms) };
  };

  it('tells the rows sent of the total, and the first end is final', () => {
    const { registry } = setup();
    const t = registry.start(7, 'abcdef12');
    expect(registry.find(7, 'abcdef12')).toEqual({ rows: 0, total: null, state: 'running' });
    t.total(4202);
    t.rows(2000);
    expect(registry.find(7, 'abcdef12')).toEqual({ rows: 2000, total: 4202, state: 'running' });
    t.rows(4202);
    t.done();
    // the connection closing after the end does not turn a finished download into a failed one
    t.failed();
    expect(registry.find(7, 'abcdef12')).toEqual({ rows: 4202, total: 4202, state: 'done' });

    const cut = registry.start(7, 'cut-short');
    cut.rows(2000);
    cut.failed();
    cut.done();
    expect(registry.find(7, 'cut-short')).toEqual({ rows: 2000, total: null, state: 'failed' });
  });

  it('shows a person only their own downloads', () => {
    const { registry } = setup();
    registry.start(7, 'abcdef12').rows(10);
    expect(registry.find(8, 'abcdef12')).toBeUndefined();
    expect(registry.find(7, 'unknown1')).toBeUndefined();
    // the same id chosen by another person is another entry
    registry.start(8, 'abcdef12').rows(3);
    expect(registry.find(7, 'abcdef12')!.rows).toBe(10);
    expect(registry.find(8, 'abcdef12')!.rows).toBe(3);
  });

  it('forgets an entry fifteen minutes after its last news', () => {
    const { registry, tick } = setup();
    const slow = registry.start(7, 'slow-one');
    registry.start(7, 'quiet-one');
    tick(14 * 60_000);
    slow.rows(2000); // news keeps it
    tick(60_000);
    expect(registry.find(7, 'quiet-one')).toBeUndefined();
    expect(registry.find(7, 'slow-one')).toEqual({ rows: 2000, total: null, state: 'running' });
    tick(14 * 60_000 - 1); // fifteen minutes less a millisecond since its news
    expect(registry.find(7, 'slow-one')).toBeDefined();
    tick(1);
    expect(registry.find(7, 'slow-one')).toBeUndefined();
    // news for a forgotten entry does not bring it back
    slow.rows(4000);
    expect(registry.find(7, 'slow-one')).toBeUndefined();
  });

  it('keeps a bounded number, the longest silent dropped first', () => {
    const { registry, tick } = setup(3);
    const a = registry.start(1, 'entry-aa');
    tick(1);
    registry.start(1, 'entry-bb');
    tick(1);
    registry.start(1, 'entry-cc');
    tick(1);
    a.rows(5); // now b is the longest silent
    registry.start(2, 'entry-dd');
    expect(registry.find(1, 'entry-bb')).toBeUndefined();
    expect(['entry-aa', 'entry-cc'].map((id) => registry.find(1, id)?.state)).toEqual(['running', 'running']);
    expect(registry.find(2, 'entry-dd')?.state).toBe('running');
    for (let i = 0; i < 100; i++) registry.start(3, `many-${String(i).padStart(4, '0')}`);
    expect(['entry-aa', 'entry-cc'].map((id) => registry.find(1, id))).toEqual([undefined, undefined]);
    expect(registry.find(3, 'many-0099')?.state).toBe('running');
    expect(registry.find(3, 'many-0096')).toBeUndefined();
  });

  it('takes ids of 8 to 64 letters, digits and dashes', () => {
    expect(['abcdef12', crypto.randomUUID(), 'a'.repeat(64)].every((id) => EXPORT_PROGRESS_ID.test(id))).toBe(true);
    expect(['short', 'a'.repeat(65), 'has space1', '../../etc', 'ümlaut123', ''].some((id) => EXPORT_PROGRESS_ID.test(id))).toBe(false);
  });
});
