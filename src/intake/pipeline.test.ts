import { expect, it } from 'vitest';
import { STEPS } from './pipeline.ts';

it('runs the steps in the designed order', () => {
  expect(STEPS.map((s) => s.name)).toEqual([
    'drop-duplicate',
    'drop-own-loop',
    'detect-bounce',
    'detect-auto-reply',
    'decide-sender-trust',
    'match-follow-up',
    'match-sms-thread',
    'detect-sms-keyword',
    'identify-requester',
    'decide-reopen',
    'strip-quoted-reply',
    'route',
  ]);
});
