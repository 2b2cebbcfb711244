// A pino logger that keeps its lines, for tests that assert on what the desk logs.
import pino, { type Logger } from 'pino';

export type LogLine = { level: number; msg: string; [k: string]: unknown };

export function recordingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { log, lines };
}
