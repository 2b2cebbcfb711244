// File uploads (the reply box's attachments): multer into memory, within MAX_ATTACHMENT_BYTES per
// file. Every multipart body is read here, in one place, just before the CSRF check, so its token
// travels in the body (or the X-CSRF-Token header) like any other form's, never in the URL. A file
// that is too large becomes a form error, with the text fields that came before it kept.
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { invalid } from '../domain/errors.ts';

export const MAX_FILES = 10;

export type MultipartOptions = {
  maxBytes: number;
  /** is the request's CSRF token (body field so far, or header) valid? Asked before a file is read */
  tokenOk: (req: Request) => boolean;
  /** the error that refuses a request whose token is not valid */
  refusal: () => Error;
};

export function readMultipart(opts: MultipartOptions): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8', // browsers send file names as UTF-8
    limits: { fileSize: opts.maxBytes, files: MAX_FILES, fields: 50, fieldSize: 1_000_000 },
    // the form's hidden _csrf field comes first: no file is held in memory for a forged request
    fileFilter: (req, _file, cb) => (opts.tokenOk(req) ? cb(null, true) : cb(opts.refusal())),
  }).any();
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data')) return next();
    parse(req, res, (err: unknown) => {
      if (!err) return next();
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

export type UploadedFile = { fieldname: string; originalname: string; mimetype: string; buffer: Buffer; size: number };

/** The non-empty files sent in one form field. */
export function uploadedFiles(req: { files?: unknown }, field: string): UploadedFile[] {
  return Array.isArray(req.files) ? (req.files as UploadedFile[]).filter((f) => f.fieldname === field && f.size > 0) : [];
}
