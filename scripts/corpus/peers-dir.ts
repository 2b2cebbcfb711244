// Where the peers' mail corpus is: PEERS_DIR, else ../shared/fixtures/peers beside the project
// (or beside the main checkout, for a git worktree). Null when it is not there.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function findPeersDir(root: string): string | null {
  const candidates = [process.env.PEERS_DIR, path.resolve(root, '../shared/fixtures/peers')];
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    candidates.push(path.resolve(path.dirname(common), '../shared/fixtures/peers'));
  } catch {
    // not a git checkout
  }
  return candidates.find((c): c is string => !!c && existsSync(path.join(c, 'SOURCES.md'))) ?? null;
}
