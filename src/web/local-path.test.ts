import { describe, expect, it } from 'vitest';
import { localPath } from './local-path.ts';

describe('localPath', () => {
  it('keeps a path on this site', () => {
    expect(localPath('/tickets?status=open', '/x')).toBe('/tickets?status=open');
  });
  it('refuses other hosts and non-strings', () => {
    for (const t of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', undefined, 42]) {
      expect(localPath(t, '/fallback')).toBe('/fallback');
    }
  });
  it('holds a path to the given prefix', () => {
    expect(localPath('/profile', '/tickets', '/tickets')).toBe('/tickets');
    expect(localPath('/tickets/12', '/tickets', '/tickets')).toBe('/tickets/12');
    expect(localPath('//tickets', '/tickets', '/')).toBe('/tickets');
  });
});
