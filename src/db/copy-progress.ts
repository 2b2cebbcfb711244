// The progress of `helpdesk migrate-to-postgres` for the person watching it, on stderr (stdout
// keeps the result): on a terminal a bar redrawn in place; otherwise (a log, a pipe) a plain line
// when a step starts, every few seconds while it runs, and when it ends.
export type ProgressOut = { write(text: string): unknown; isTTY?: boolean; columns?: number };

export type Progress = {
  /** a step with a known amount of work: `total` items (files, rows), and bytes when they count */
  start(step: string, total: number, unit: string, totalBytes?: number): void;
  /** the items (and bytes) done so far in the step */
  update(done: number, bytes?: number): void;
  /** the step is done */
  finish(): void;
  /** a line of its own */
  note(line: string): void;
};

export type ProgressOptions = {
  /** a plain line at most this often (default 5 s) */
  everyMs?: number;
  /** the bar redrawn at most this often (default 0.1 s) */
  redrawMs?: number;
  now?: () => number;
};

const BAR = 24;
const num = (n: number) => Math.round(n).toLocaleString('en');

/** 1.5 MiB, 320 KiB, 12 B */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${n.toFixed(1)} ${units[u]}`;
}

const clock = (s: number) => {
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(t % 60)}` : `${m}:${pad(t % 60)}`;
};

export function createProgress(out: ProgressOut, opts: ProgressOptions = {}): Progress {
  const now = opts.now ?? (() => performance.now());
  const tty = !!out.isTTY;
  const everyMs = opts.everyMs ?? 5000;
  const redrawMs = opts.redrawMs ?? 100;
  let step: { name: string; total: number; unit: string; totalBytes?: number; done: number; bytes: number; started: number; told: number } | null = null;
  let drawn = false; // a bar is on the terminal's last line

  const describe = () => {
    const s = step!;
    const share = s.totalBytes ? s.bytes / s.totalBytes : s.total ? s.done / s.total : 1;
    const pct = `${Math.floor(Math.min(1, share) * 100)}%`;
    const items = `${num(s.done)} of ${num(s.total)} ${s.unit}`;
    const bytes = s.totalBytes !== undefined ? `, ${formatBytes(s.bytes)} of ${formatBytes(s.totalBytes)}` : '';
    const seconds = (now() - s.started) / 1000;
    const eta = share > 0 && share < 1 && seconds >= 1 ? `, ${clock((seconds / share) * (1 - share))} left` : '';
    return { share: Math.min(1, share), pct, text: `${items}${bytes}${eta}` };
  };

  const draw = () => {
    const { share, pct, text } = describe();
    const filled = Math.round(share * BAR);
    let line = `${step!.name} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${pct.padStart(4)}  ${text}`;
    if (out.columns && line.length >= out.columns) line = line.slice(0, out.columns - 1);
    out.write(`\r\x1b[K${line}`);
    drawn = true;
  };
  const clear = () => {
    if (drawn) out.write('\r\x1b[K');
    drawn = false;
  };
  const plain = () => {
    const { pct, text } = describe();
    out.write(`${step!.name}: ${pct}, ${text}\n`);
  };

  return {
    start(name, total, unit, totalBytes) {
      if (step) this.finish();
      step = { name, total, unit, totalBytes, done: 0, bytes: 0, started: now(), told: now() };
      if (tty) draw();
      else plain();
    },
    update(done, bytes) {
      if (!step) return;
      step.done = done;
      if (bytes !== undefined) step.bytes = bytes;
      const t = now();
      if (t - step.told < (tty ? redrawMs : everyMs)) return;
      step.told = t;
      if (tty) draw();
      else plain();
    },
    finish() {
      if (!step) return;
      const seconds = (now() - step.started) / 1000;
      const { text } = describe();
      clear();
      out.write(`${step.name}: done, ${text} in ${seconds.toFixed(1)} s\n`);
      step = null;
    },
    note(line) {
      clear();
      out.write(`${line}\n`);
      if (step && tty) draw();
    },
  };
}
