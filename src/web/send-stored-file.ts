// Sends a file of the file store as a response body (attachment and raw mail downloads).
import type { Response } from 'express';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';

/**
 * Pipes body into res. A client that goes away ends the read (a stream from the database stops
 * asking for chunks); a read that fails part way ends the response, which the client sees cut
 * short (its Content-Length was sent), and is logged.
 */
export function sendStoredFile(res: Response, body: Readable, log: Logger, what: Record<string, unknown>): void {
  pipeline(body, res, (err) => {
    if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') log.error({ err, ...what }, 'a stored file could not be sent whole');
  });
}
