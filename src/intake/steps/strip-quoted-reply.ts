// Step 8: keeps the whole text as received and stores the new content beside it (the reply
// without the quoted history and the signature); the console shows the new content with
// "show quoted text" for the rest.
import { trimReply } from '../mail/reply-trimmer.ts';
import type { Step } from '../types.ts';

export const stripQuotedReply: Step = {
  name: 'strip-quoted-reply',
  run(draft) {
    if (draft.msg.channel !== 'email') return;
    const { reply, trimmed } = trimReply(draft.content.text);
    draft.content.newText = trimmed ? reply : null;
  },
};
