import { describe, expect, it } from 'vitest';
import { ownAddresses } from './desk-identity.ts';

describe('ownAddresses', () => {
  it('is the parsed sender, the IMAP address and the stored addresses, lower-case without plus tags', () => {
    const own = ownAddresses(
      { smtp: { url: 'smtp://x', from: '"Help, Desk" <Support+out@Desk.example>', allowPlaintext: false }, imap: { host: 'h', port: 993, secure: true, allowPlaintext: false, user: 'u', password: 'p', mailbox: 'INBOX', address: 'inbox@desk.example' } },
      ['Printers@desk.example', ' support+printers@desk.example ', ''],
    );
    expect([...own].sort()).toEqual(['inbox@desk.example', 'printers@desk.example', 'support@desk.example']);
  });

  it('without SMTP and IMAP is just the stored addresses', () => {
    expect([...ownAddresses({ smtp: undefined, imap: undefined }, ['a@desk.example'])]).toEqual(['a@desk.example']);
  });
});
