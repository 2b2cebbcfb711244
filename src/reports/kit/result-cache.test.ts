import { describe, expect, it } from 'vitest';
import { resultCache } from './result-cache.ts';

describe('report result cache', () => {
  const setup = (max = 2, slowMs = 100) => {
    let now = 1_000_000;
    let computed = 0;
    let real = 0;
    const cache = resultCache({ now: () => now, freshMs: 60_000, max, slowMs, realMs: () => real });
    const compute = (v: string) => async () => {
      computed++;
      return v;
    };
    /** a computation that takes `ms`, all of it before its first wait (as SQLite's synchronous queries do) */
    const taking = (ms: number, v: string) => async () => {
      computed++;
      real += ms;
      await Promise.resolve();
      return v;
    };
    return { cache, compute, taking, computed: () => computed, tick: (ms: number) => (now += ms), wait: (ms: number) => (real += ms) };
  };

  it('keeps a result for a minute, says when it was computed, and computes afresh when asked or when stale', async () => {
    const s = setup();
    expect(await s.cache.get('a', s.compute('one'))).toEqual({ at: 1_000_000, value: 'one' });
    s.tick(59_000);
    expect(await s.cache.get('a', s.compute('two'))).toEqual({ at: 1_000_000, value: 'one' });
    expect(await s.cache.get('a', s.compute('three'), true)).toEqual({ at: 1_059_000, value: 'three' });
    s.tick(60_000);
    expect(await s.cache.get('a', s.compute('four'))).toEqual({ at: 1_119_000, value: 'four' });
    expect(s.computed()).toBe(3);
  });

  it('lets requests for a result being computed wait for it, forgets a cheap one on a change, keeps a bounded number, and not a failure', async () => {
    const s = setup();
    let release!: (v: string) => void;
    const slow = () => new Promise<string>((r) => (release = r));
    const first = s.cache.get('a', slow);
    const second = s.cache.get('a', s.compute('other'));
    release('slow');
    expect((await first).value).toBe('slow');
    expect((await second).value).toBe('slow');
    expect(s.computed()).toBe(0);

    // a change while a result is computed: it is given to its request, not kept
    const during = s.cache.get('b', slow);
    s.cache.changed();
    release('before the change');
    expect((await during).value).toBe('before the change');
    expect((await s.cache.get('b', s.compute('after'))).value).toBe('after');
    expect((await s.cache.get('a', s.compute('a again'))).value).toBe('a again');

    await s.cache.get('c', s.compute('c'));
    expect((await s.cache.get('a', s.compute('a third'))).value).toBe('a again');
    expect((await s.cache.get('b', s.compute('b again'))).value).toBe('b again'); // only two are kept: b was the oldest

    await expect(s.cache.get('d', async () => { throw new Error('down'); })).rejects.toThrow('down');
    expect((await s.cache.get('d', s.compute('d'))).value).toBe('d');
  });

  it('after a change, counts a cheap result again at once, and a slow one only once ten times its counting time has passed (at most 30 s)', async () => {
    const s = setup(5);
    expect((await s.cache.get('cheap', s.taking(20, 'cheap 1'))).value).toBe('cheap 1');
    expect((await s.cache.get('slow', s.taking(400, 'slow 1'))).value).toBe('slow 1');
    s.cache.changed();
    // 400 ms to count: kept until 4 s after it was counted, then counted again
    s.wait(3_900);
    expect(await s.cache.get('slow', s.taking(400, 'slow 2'))).toEqual({ at: 1_000_000, value: 'slow 1' });
    expect((await s.cache.get('cheap', s.taking(20, 'cheap 2'))).value).toBe('cheap 2');
    s.tick(5_000);
    s.wait(100);
    expect(await s.cache.get('slow', s.taking(400, 'slow 2'))).toEqual({ at: 1_005_000, value: 'slow 2' });
    // counted again without a change since: kept the whole minute
    s.wait(20_000);
    expect((await s.cache.get('slow', s.taking(400, 'slow 3'))).value).toBe('slow 2');
    // counted long ago: a change means it is counted again at once
    s.cache.changed();
    expect((await s.cache.get('slow', s.taking(400, 'slow 3'))).value).toBe('slow 3');
    // a very slow one waits at most 30 s
    expect((await s.cache.get('slower', s.taking(10_000, 'slower 1'))).value).toBe('slower 1');
    s.cache.changed();
    s.wait(29_000);
    expect((await s.cache.get('slower', s.taking(10_000, 'slower 2'))).value).toBe('slower 1');
    s.wait(1_000);
    expect((await s.cache.get('slower', s.taking(10_000, 'slower 2'))).value).toBe('slower 2');
    expect(s.computed()).toBe(7);
  });

  it('lets requests after a change wait for a slow result already being counted, and count a cheap one again', async () => {
    const s = setup();
    let release!: (v: string) => void;
    const held = () => new Promise<string>((r) => (release = r));
    const first = s.cache.get('a', held);
    s.wait(150); // counting for 150 ms so far: slow
    s.cache.changed();
    const second = s.cache.get('a', s.compute('again'));
    release('slow');
    expect((await first).value).toBe('slow');
    expect((await second).value).toBe('slow');
    // one that has run for 10 ms when the change comes is counted again
    const third = s.cache.get('b', held);
    s.wait(10);
    s.cache.changed();
    expect((await s.cache.get('b', s.compute('b after'))).value).toBe('b after');
    release('b before');
    expect((await third).value).toBe('b before');
    expect((await s.cache.get('b', s.compute('b third'))).value).toBe('b after');
  });

  it('with slowMs 0 counts every result again after every change, however long it took', async () => {
    const s = setup(5, 0);
    expect((await s.cache.get('slow', s.taking(5_000, 'slow 1'))).value).toBe('slow 1');
    s.cache.changed();
    expect((await s.cache.get('slow', s.taking(5_000, 'slow 2'))).value).toBe('slow 2');
  });
});
