import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createSmsTemplates } from './sms-templates.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('keeps the templates a desk compiled for that desk alone: templates built later read the files afresh', () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sms-templates-'));
  mkdirSync(path.join(dir, 'en'));
  const write = (text: string) => writeFileSync(path.join(dir, 'en', 'ack.hbs'), text);
  write('{{deskName}}: we got it\n');
  const first = createSmsTemplates(dir);
  expect(first.render('ack', 'en', { deskName: 'IT' })).toBe('IT: we got it');

  write('{{deskName}}: thanks, we are on it\n');
  expect(first.render('ack', 'en', { deskName: 'IT' })).toBe('IT: we got it'); // compiled once per desk
  expect(createSmsTemplates(dir).render('ack', 'en', { deskName: 'IT' })).toBe('IT: thanks, we are on it');
});
