// Where a form may send the browser back to: a path on this site, never another host
// ("//evil.example", "/\evil.example" are host-relative in browsers).
export function localPath(target: unknown, fallback: string, prefix = '/'): string {
  if (typeof target !== 'string' || !target.startsWith(prefix)) return fallback;
  return target.startsWith('//') || target.startsWith('/\\') ? fallback : target;
}
