// Files that must survive a power loss once the desk has said it has them (the raw archive of
// inbound mail, attachments, the SMS spool): written under a temporary name, flushed, renamed, and
// the directory entry flushed too. A crash never leaves a half-written file under the final name.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** mkdir -p whose new directories are on disk when it returns. */
export function makeDirDurably(dir: string): void {
  const first = mkdirSync(dir, { recursive: true });
  if (first === undefined) return;
  // each directory created, from the deepest up to the first one, is an entry in its parent
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    fsyncDir(path.dirname(d));
    if (d === path.resolve(first) || path.dirname(d) === d) break;
  }
}

/** Writes `data` to `file` so that it is whole and on disk when this returns. `tag` makes the temporary name unique. */
export function writeFileDurably(file: string, data: Buffer, tag: string): void {
  const tmp = `${file}.${tag}.tmp`;
  const fd = openSync(tmp, 'w', 0o640);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}
