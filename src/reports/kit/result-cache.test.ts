import { describe, expect, it } from 'vitest';
import { resultCache } from './result-cache.ts';

describe('report result cache', () => {
  const setup = () => {
    let now = 1_000_000;
    let computed = 0;
    const cache = resultCache({ now: () => now, freshMs: 60_000, max: 2 });
    const compute = (v: string) => async () => {
      computed++;
      return v;
    };
    return { cache, compute, computed: () => computed, tick: (ms: number) => (now += ms) };
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

  it('lets requests for a result being computed wait for it, forgets everything on a change, keeps a bounded number, and not a failure', async () => {
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
    s.cache.forgetAll();
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
});
