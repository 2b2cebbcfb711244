import { expect, it } from 'vitest';
import { parseSmsKeyword } from './sms-keywords.ts';

it('recognises a message that is only a keyword, in any case and with punctuation', () => {
  expect(parseSmsKeyword('STOP')).toMatchObject({ kind: 'stop', lang: 'en', providerStandard: true });
  expect(parseSmsKeyword('  stop.  ')).toMatchObject({ kind: 'stop', word: 'STOP' });
  expect(parseSmsKeyword('Unsubscribe!')).toMatchObject({ kind: 'stop' });
  expect(parseSmsKeyword('start')).toMatchObject({ kind: 'start', onlyWhenOptedOut: false });
  expect(parseSmsKeyword('Yes')).toMatchObject({ kind: 'start', onlyWhenOptedOut: true });
  expect(parseSmsKeyword('help?')).toMatchObject({ kind: 'help' });
});

it('knows the Russian keywords, which Twilio does not answer itself', () => {
  expect(parseSmsKeyword('Стоп')).toMatchObject({ kind: 'stop', lang: 'ru', providerStandard: false });
  expect(parseSmsKeyword('«отписаться»')).toMatchObject({ kind: 'stop', lang: 'ru' });
  expect(parseSmsKeyword('СТАРТ')).toMatchObject({ kind: 'start', lang: 'ru' });
  expect(parseSmsKeyword('помощь')).toMatchObject({ kind: 'help', lang: 'ru' });
});

it('leaves ordinary messages alone', () => {
  expect(parseSmsKeyword('stop the printer from jamming')).toBeUndefined();
  expect(parseSmsKeyword('Please help')).toBeUndefined();
  expect(parseSmsKeyword('')).toBeUndefined();
  expect(parseSmsKeyword('Стоп-кран сорван')).toBeUndefined();
});
