// The intake pipeline: an ordered list of small steps, each taking one decision about the draft.
// The order is part of the design (see DESIGN.md) and pinned by pipeline.test.ts.
import { dropDuplicate, dedupeKeyOf } from './steps/drop-duplicate.ts';
import { dropOwnLoop } from './steps/drop-own-loop.ts';
import { detectBounce } from './steps/detect-bounce.ts';
import { detectAutoReply } from './steps/detect-auto-reply.ts';
import { decideSenderTrust } from './steps/decide-sender-trust.ts';
import { identifyRequester } from './steps/identify-requester.ts';
import { matchFollowUp } from './steps/match-follow-up.ts';
import { matchSmsThread } from './steps/match-sms-thread.ts';
import { detectSmsKeyword } from './steps/detect-sms-keyword.ts';
import { decideReopen } from './steps/decide-reopen.ts';
import { stripQuotedReply } from './steps/strip-quoted-reply.ts';
import { route } from './steps/route.ts';
import type { Draft, InboundMessage, Step, StepContext } from './types.ts';

export const STEPS: readonly Step[] = [
  dropDuplicate,
  dropOwnLoop,
  detectBounce,
  detectAutoReply,
  decideSenderTrust, // before anything that believes the From: threading by subject tag, agents, reopening
  matchFollowUp,
  matchSmsThread,
  detectSmsKeyword, // after the SMS match, so the hook can note an opt-out on that ticket
  identifyRequester,
  decideReopen,
  stripQuotedReply,
  route,
];

export function newDraft(msg: InboundMessage, reprocessOf: number | null = null): Draft {
  return {
    msg,
    dedupeKey: dedupeKeyOf(msg),
    reprocessOf,
    drop: null,
    autoReply: null,
    mailingList: null,
    bounce: null,
    match: null,
    sender: null,
    requester: null,
    statusChange: null,
    followUpOf: null,
    content: { text: msg.text, newText: null, html: msg.html },
    route: { componentId: null, reason: null },
    notes: [],
  };
}

/** Runs the steps in order until one drops the message. Steps only read the database. */
export async function runPipeline(
  msg: InboundMessage,
  ctx: StepContext,
  opts: { steps?: readonly Step[]; reprocessOf?: number | null } = {},
): Promise<Draft> {
  const draft = newDraft(msg, opts.reprocessOf ?? null);
  const steps = opts.steps ?? STEPS;
  for (const step of steps) {
    if (draft.drop) break;
    await step.run(draft, ctx);
  }
  return draft;
}
