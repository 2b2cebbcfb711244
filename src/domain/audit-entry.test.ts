import { describe, expect, it } from 'vitest';
import { auditChanges, auditValueText, isSecretField, redactSnapshots } from './audit-entry.ts';

describe('audit entries', () => {
  it('never keeps a secret: passwords, hashes, tokens and sealed credentials become "set" or "changed"', () => {
    expect(['password', 'passwordHash', 'tokenHash', 'token', 'authToken', 'smtpPassword', 'apiKey'].every(isSecretField)).toBe(true);
    expect(['name', 'prefix', 'keywords', 'autoAssign', 'tokenId'].some(isSecretField)).toBe(false);
    const r = redactSnapshots(
      { name: 'Olga', passwordHash: '$argon2id$old', smtp: { host: 'mx', password: 'sealed:v1:aaa' }, token: null },
      { name: 'Olga', passwordHash: '$argon2id$new', smtp: { host: 'mx', password: 'sealed:v1:aaa' }, token: 'hd_secret' },
    );
    expect(r).toEqual({
      before: { name: 'Olga', passwordHash: 'set', smtp: { host: 'mx', password: 'set' }, token: null },
      after: { name: 'Olga', passwordHash: 'changed', smtp: { host: 'mx', password: 'set' }, token: 'changed' },
    });
    expect(JSON.stringify(r)).not.toMatch(/argon2|sealed|hd_secret/);
    expect(redactSnapshots(null, { password: 'x' })).toEqual({ before: null, after: { password: 'set' } });
  });

  it('lists the fields that changed, and every field with a value for a creation or removal', () => {
    expect(auditChanges({ role: 'agent', name: 'A', ids: [1, 2] }, { role: 'manager', name: 'A', ids: [1, 3] })).toEqual([
      { field: 'role', before: 'agent', after: 'manager' },
      { field: 'ids', before: [1, 2], after: [1, 3] },
    ]);
    expect(auditChanges(null, { name: 'Printers', description: null, active: false })).toEqual([
      { field: 'name', before: null, after: 'Printers' },
      { field: 'active', before: null, after: false },
    ]);
    expect(auditChanges({ name: 'Gone' }, null)).toEqual([{ field: 'name', before: 'Gone', after: null }]);
    expect([null, '', [], ['a', 'b'], true, 5, { a: 1 }].map(auditValueText)).toEqual(['—', '—', '—', 'a, b', 'true', '5', '{"a":1}']);
  });
});
