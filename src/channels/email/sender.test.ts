import { describe, expect, it } from 'vitest';
import { readFrom } from './sender.ts';

describe('readFrom', () => {
  it.each([
    ['MAILER-DAEMON (Mail Delivery System)', 'mailer-daemon', 'Mail Delivery System'],
    ['Mail Delivery Subsystem <MAILER-DAEMON>', 'mailer-daemon', 'Mail Delivery Subsystem'],
    ['postmaster (Mail Delivery System) <>', 'postmaster', 'Mail Delivery System'],
    ['"Yangzhou ABC Lighting Equipment " <>, "LTD" <ly@example.com>', 'ly@example.com', 'LTD'],
    ['=?iso-8859-1?Q?B=FCrling,=20Andreas?= <smith@example.com>', 'smith@example.com', 'Bürling, Andreas'],
    ['"your secret past" <power quadrant system@example.com>', 'system@example.com', 'your secret past'],
    ['"finances8@firstfinanceloanfirm.example.com"', 'finances8@firstfinanceloanfirm.example.com', ''],
    ['anna@client.example (Anna Berg)', 'anna@client.example', 'Anna Berg'],
    ['"Berg, Anna" <Anna@Client.Example>', 'anna@client.example', 'Berg, Anna'],
    ['Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>', 'pete@silly.test', 'Pete'],
    ['Big Bug bb@bug.com', 'bb@bug.com', 'Big Bug'],
  ])('reads %s', (value, address, name) => {
    expect(readFrom([value])).toEqual({ address, name });
  });

  it('takes the first mailbox with a whole address over one without a domain, across From headers', () => {
    expect(readFrom(['[??????]', '=?utf-8?B?6YO955C5?= <ghgbwum@185.com.cn>'])).toEqual({ address: 'ghgbwum@185.com.cn', name: '都琹' });
    expect(readFrom(['MAILER-DAEMON', 'Real <real@client.example>'])).toEqual({ address: 'real@client.example', name: 'Real' });
    expect(readFrom(['[??????]', '<>'])).toBeNull();
  });
});
