import { describe, expect, it } from 'vitest';
import { firstWords } from './first-words.ts';

describe('firstWords', () => {
  it('keeps the first eight words, whitespace squashed', () => {
    expect(firstWords('  printer\n on the   third floor is jammed again, please send someone today ')).toBe('printer on the third floor is jammed again,');
  });
  it('cuts a long run of words at 80 characters with an ellipsis', () => {
    const out = firstWords('Supercalifragilisticexpialidocious '.repeat(8));
    expect(out).toHaveLength(80);
    expect(out.endsWith('…')).toBe(true);
  });
});
