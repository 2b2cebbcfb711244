import { expect, it } from 'vitest';
import { fitsSms, shortenForSms, smsSize } from './sms-segments.ts';

it('counts GSM-7 segments, with extension characters taking two places', () => {
  expect(smsSize('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
  expect(smsSize('a'.repeat(161)).segments).toBe(2);
  expect(smsSize('a'.repeat(306)).segments).toBe(2);
  expect(smsSize('a'.repeat(307)).segments).toBe(3);
  expect(smsSize('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
});

it('counts UCS-2 segments for Cyrillic and emoji', () => {
  expect(smsSize('п'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
  expect(smsSize('п'.repeat(71)).segments).toBe(2);
  expect(smsSize('п'.repeat(670)).segments).toBe(10);
  expect(smsSize('п'.repeat(671)).segments).toBe(11);
  expect(smsSize('👍').units).toBe(2);
});

it('cuts a long text at a word so that it and its link fit the budget', () => {
  const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
  const out = shortenForSms(words, (head) => `${head}... Full reply: https://help.example.com/portal/t1.abc`);
  expect(fitsSms(out)).toBe(true);
  expect(out).toMatch(/^word0 word1 .* word\d+\.\.\. Full reply: https:\/\/help\.example\.com\/portal\/t1\.abc$/);
  expect(out.length).toBeGreaterThan(1400);
  const ru = shortenForSms('привет '.repeat(200), (head) => `${head}… Полный ответ: https://x.example/p`);
  expect(smsSize(ru).segments).toBeLessThanOrEqual(10);
  expect(ru.length).toBeGreaterThan(600);
});
