// The desk process (src/main.ts) as a supervisor sees it: once it has said it started, SIGTERM
// stops it cleanly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDesk, type DeskProcess } from '../test/helpers/desk-process.ts';

describe('the desk process', () => {
  const dirs: string[] = [];
  const desks: DeskProcess[] = [];
  afterEach(async () => {
    await Promise.all(desks.splice(0).map((d) => d.kill9()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('stops cleanly on a SIGTERM that comes the moment it says it started', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'helpdesk-main-'));
    dirs.push(dataDir);
    // the process sends itself SIGTERM as it writes the start line: the earliest a supervisor
    // reading its output can (on a busy machine its signal does come that early). Its log lines
    // are written at once, as when the previous one is out already (pino writes through fs.write).
    const preload = path.join(dataDir, 'sigterm-at-start.mjs');
    writeFileSync(preload, `import fs from 'node:fs';
const writeSync = fs.writeSync;
fs.writeSync = function (fd, data, ...rest) {
  if (fd === 1 && String(data).includes('"msg":"help desk started"')) process.kill(process.pid, 'SIGTERM');
  return writeSync.call(this, fd, data, ...rest);
};
const write = fs.write;
fs.write = function (fd, data, ...rest) {
  if (fd !== 1 && fd !== 2) return write.call(this, fd, data, ...rest);
  const done = rest.pop();
  let n;
  try {
    n = fs.writeSync(fd, data, ...rest);
  } catch (err) {
    return done(err);
  }
  done(null, n);
};
`);
    const desk = startDesk({ dataDir, roles: 'scheduler', env: { NODE_OPTIONS: `--import ${preload}` } });
    desks.push(desk);
    const exit = await desk.exited;
    expect(exit, desk.log()).toEqual({ code: 0, signal: null });
    expect(desk.log()).toContain('"msg":"stopping"');
  });
});
