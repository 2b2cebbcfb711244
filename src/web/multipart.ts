// File uploads (the reply box's attachments): multer into memory, within MAX_ATTACHMENT_BYTES per
// file and MAX_MAIL_BYTES for all the files of one form together (a reply's files go out in one
// mail; and a form holds at most that much memory, not ten times the file limit). Every multipart body is read here, in one place, just before the CSRF check, so its token
// travels in the body (or the X-CSRF-Token header) like any other form's, never in the URL. A file
// that is too large becomes a form error, with the text fields that came before it kept.
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { invalid } from '../domain/errors.ts';

export const MAX_FILES = 10;

export type MultipartOptions = {
  maxBytes: number;
  /** all the files of one form together */
  maxTotalBytes: number;
  /** is the request's CSRF token (body field so far, or header) valid? Asked before a file is read */
  tokenOk: (req: Request) => boolean;
  /** the error that refuses a request whose token is not valid */
  refusal: () => Error;
};

export function readMultipart(opts: MultipartOptions): RequestHandler {
  const parse = multer({
    storage: cappedMemoryStorage(opts.maxTotalBytes),
    defParamCharset: 'utf8', // browsers send file names as UTF-8
    limits: { fileSize: opts.maxBytes, files: MAX_FILES, fields: 50, fieldSize: 1_000_000 },
    // the form's hidden _csrf field comes first: no file is held in memory for a forged request
    fileFilter: (req, _file, cb) => (opts.tokenOk(req) ? cb(null, true) : cb(opts.refusal())),
  }).any();
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data')) return next();
    parse(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof TotalTooLarge) {
        res.locals.uploadError = invalid(`The files together are larger than the ${Math.round(opts.maxTotalBytes / 1048576)} MB limit`, { attachments: 'Too large' });
        req.body ??= {};
        return next();
      }
      if (err instanceof multer.MulterError) {
        res.locals.uploadError = err.code === 'LIMIT_FILE_SIZE'
          ? invalid(`A file is larger than the ${Math.round(opts.maxBytes / 1048576)} MB limit`, { attachments: 'Too large' })
          : invalid(`The upload was refused: ${err.message}`, { attachments: err.code });
        req.body ??= {};
        return next();
      }
      next(err);
    });
  };
}

class TotalTooLarge extends Error {}

/**
 * multer's memory storage, counting the bytes of all the files of a request as they arrive: past
 * `total` the file is refused (TotalTooLarge) and nothing more of it is kept, as multer's own
 * fileSize limit does for one file.
 */
function cappedMemoryStorage(total: number): multer.StorageEngine {
  const seen = new WeakMap<object, number>();
  return {
    _handleFile(req, file, cb) {
      const chunks: Buffer[] = [];
      let refused = false;
      file.stream.on('data', (chunk: Buffer) => {
        if (refused) return;
        const sofar = (seen.get(req) ?? 0) + chunk.length;
        seen.set(req, sofar);
        if (sofar > total) {
          refused = true;
          chunks.length = 0;
          return cb(new TotalTooLarge('The files together are too large'));
        }
        chunks.push(chunk);
      });
      file.stream.on('error', (err: Error) => {
        if (!refused) cb(err);
        refused = true;
      });
      file.stream.on('end', () => {
        if (refused) return;
        const buffer = Buffer.concat(chunks);
        cb(null, { buffer, size: buffer.length });
      });
    },
    _removeFile(_req, file, cb) {
      delete (file as { buffer?: Buffer }).buffer;
      cb(null);
    },
  };
}

export type UploadedFile = { fieldname: string; originalname: string; mimetype: string; buffer: Buffer; size: number };

/** The non-empty files sent in one form field. */
export function uploadedFiles(req: { files?: unknown }, field: string): UploadedFile[] {
  return Array.isArray(req.files) ? (req.files as UploadedFile[]).filter((f) => f.fieldname === field && f.size > 0) : [];
}
