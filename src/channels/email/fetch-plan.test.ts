import { describe, expect, it } from 'vitest';
import { fetchBatches, listedOversized, MAX_BATCH_MESSAGES, MIN_CUT_BYTES, sourceVerdict } from './fetch-plan.ts';

const MB = 1024 * 1024;
const limitBytes = 10 * MB;
const batchBytes = 32 * MB;
const listed = (...sizes: (number | undefined)[]) => sizes.map((size, i) => ({ uid: i + 1, size }));
/** what a batch can really hold: each downloaded message cut at the batch's length */
const worst = (b: { messages: { uid: number; size?: number }[]; maxLength: number }) =>
  b.messages.filter((m) => !listedOversized(m, limitBytes)).length * b.maxLength;

describe('fetching new mail without trusting its listed sizes', () => {
  it('cuts each download one byte past the longest listed size of its batch, at least 64 KB and at most the limit', () => {
    expect(fetchBatches(listed(500, 2000), { limitBytes, batchBytes })).toEqual([{ messages: listed(500, 2000), maxLength: MIN_CUT_BYTES + 1 }]);
    expect(fetchBatches(listed(500, 3 * MB), { limitBytes, batchBytes })[0].maxLength).toBe(3 * MB + 1);
    expect(fetchBatches(listed(limitBytes), { limitBytes, batchBytes })[0].maxLength).toBe(limitBytes + 1);
  });

  it('holds a batch to its budget by what it could really be, whatever sizes are listed', () => {
    const sizes = listed(...Array.from({ length: 40 }, (_, i) => [0, undefined, 3 * MB, 9 * MB, 100][i % 5]));
    const plan = fetchBatches(sizes, { limitBytes, batchBytes });
    expect(plan.flatMap((b) => b.messages)).toEqual(sizes); // every message, in order
    for (const b of plan) expect(worst(b) <= batchBytes || b.messages.length === 1).toBe(true);
  });

  it('lets a message listed over the limit weigh nothing, and keeps a batch to 100 messages', () => {
    const plan = fetchBatches(listed(9 * MB, 50 * MB, 2 ** 53, 9 * MB, 9 * MB), { limitBytes, batchBytes });
    expect(plan.map((b) => b.messages.map((m) => m.uid))).toEqual([[1, 2, 3, 4, 5]]);
    expect(fetchBatches(listed(...Array(250).fill(100)), { limitBytes, batchBytes }).map((b) => b.messages.length)).toEqual([MAX_BATCH_MESSAGES, MAX_BATCH_MESSAGES, 50]);
  });

  it('sends a message bigger than the budget alone', () => {
    const plan = fetchBatches(listed(100, 9 * MB), { limitBytes, batchBytes: 4 * MB });
    expect(plan.map((b) => [b.messages.map((m) => m.uid), b.maxLength])).toEqual([[[1], MIN_CUT_BYTES + 1], [[2], 9 * MB + 1]]);
  });

  it('knows a download for whole only when it came back shorter than its cut, and oversized when it is past the limit', () => {
    expect(sourceVerdict(1000, MIN_CUT_BYTES + 1, limitBytes)).toBe('whole');
    expect(sourceVerdict(MIN_CUT_BYTES + 1, MIN_CUT_BYTES + 1, limitBytes)).toBe('cut');
    expect(sourceVerdict(5 * MB, MIN_CUT_BYTES + 1, limitBytes)).toBe('cut'); // sent more than asked for
    expect(sourceVerdict(limitBytes, limitBytes + 1, limitBytes)).toBe('whole');
    expect(sourceVerdict(limitBytes + 1, limitBytes + 1, limitBytes)).toBe('oversized');
    expect(sourceVerdict(limitBytes + 1, MIN_CUT_BYTES + 1, limitBytes)).toBe('oversized');
  });
});
