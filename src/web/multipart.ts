// File uploads (the reply box's attachments): multer into memory, within MAX_ATTACHMENT_BYTES per
// file. A file that is too large becomes a form error, with the text fields that came before it kept.
import type { RequestHandler } from 'express';
import multer from 'multer';
import { invalid } from '../store/errors.ts';

export const MAX_FILES = 10;

export function uploads(field: string, maxBytes: number): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8', // browsers send file names as UTF-8
    limits: { fileSize: maxBytes, files: MAX_FILES, fields: 100, fieldSize: 1_000_000 },
  }).array(field, MAX_FILES);
  return (req, res, next) => {
    parse(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        res.locals.uploadError = err.code === 'LIMIT_FILE_SIZE'
          ? invalid(`${err.field === field ? 'A file' : 'The upload'} is larger than the ${Math.round(maxBytes / 1048576)} MB limit`, { attachments: 'Too large' })
          : invalid(`The upload was refused: ${err.message}`, { attachments: err.code });
        req.body ??= {};
        return next();
      }
      next(err);
    });
  };
}

export type UploadedFile = { originalname: string; mimetype: string; buffer: Buffer; size: number };

export function uploadedFiles(req: { files?: unknown }): UploadedFile[] {
  return Array.isArray(req.files) ? (req.files as UploadedFile[]).filter((f) => f.size > 0) : [];
}
