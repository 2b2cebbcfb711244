import { expect, it } from 'vitest';
import { keepBounded } from './bounded-memo.ts';

it('never holds more than its bound, however many keys come, and keeps what it holds', () => {
  const memo = new Map<string, number>();
  for (let i = 0; i < 100; i++) {
    expect(keepBounded(memo, `k${i}`, i, 3)).toBe(i);
    expect(memo.size).toBeLessThanOrEqual(3);
    expect(memo.get(`k${i}`)).toBe(i);
  }
  memo.clear();
  for (const [k, v] of [['a', 1], ['b', 2], ['c', 3], ['a', 4]] as const) keepBounded(memo, k, v, 3);
  expect([...memo]).toEqual([['a', 4], ['b', 2], ['c', 3]]); // a known key is replaced, nothing dropped
});
