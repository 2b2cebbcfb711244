import { expect, it } from 'vitest';
import { splitMbox } from './mbox.ts';

it('passes a single mail through and splits an mbox, unescaping >From', () => {
  const one = Buffer.from('From: a@b\r\nSubject: x\r\n\r\nhi\r\n');
  expect(splitMbox(one)).toEqual([one]);
  const box = Buffer.from('From a@b Mon Nov  2 09:00:00 2026\nSubject: 1\n\n>From the start\n\nFrom c@d Mon Nov  2 09:01:00 2026\nSubject: 2\n\nbye\n');
  const parts = splitMbox(box).map((b) => b.toString());
  expect(parts).toEqual(['Subject: 1\n\nFrom the start\n', 'Subject: 2\n\nbye\n']);
});
