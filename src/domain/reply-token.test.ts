import { describe, expect, it } from 'vitest';
import { looksLikeOurMessageId, makeMessageId, makeReplyAddress, readMessageId, readReplyAddress } from './reply-token.ts';

const key = 'k'.repeat(32);

describe('signed message ids', () => {
  it('round-trips the ticket id', () => {
    const id = makeMessageId(key, 42, 'desk.example');
    expect(readMessageId(key, id)).toBe(42);
    expect(readMessageId(key, `<${id}>`)).toBe(42);
    expect(looksLikeOurMessageId(id, 'desk.example')).toBe(true);
  });

  it('refuses a forged or altered id', () => {
    const id = makeMessageId(key, 42, 'desk.example');
    expect(readMessageId('other'.repeat(8), id)).toBeUndefined();
    expect(readMessageId(key, id.replace('hd.t42.', 'hd.t43.'))).toBeUndefined();
    expect(readMessageId(key, 'CAF=abc@mail.gmail.com')).toBeUndefined();
  });

  it('round-trips the plus-address token and refuses a changed one', () => {
    const addr = makeReplyAddress(key, 'support@desk.example', 7);
    expect(addr).toMatch(/^support\+t7\.[a-z2-7]+@desk\.example$/);
    expect(readReplyAddress(key, addr)).toBe(7);
    expect(readReplyAddress(key, addr.replace('+t7.', '+t8.'))).toBeUndefined();
    expect(readReplyAddress(key, 'support@desk.example')).toBeUndefined();
  });
});
