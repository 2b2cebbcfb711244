// Step 8: keeps the whole text as received and stores the new content beside it (the reply
// without the quoted history and the signature); the console shows the new content with
// "show quoted text" for the rest. HTML-only mail is read from its markup.
import { channelTraits } from '../../domain/channel-traits.ts';
import { htmlReplyText } from '../mail/html-reply.ts';
import { trimReply } from '../mail/reply-trimmer.ts';
import type { Step } from '../types.ts';

export const stripQuotedReply: Step = {
  name: 'strip-quoted-reply',
  run(draft) {
    if (!channelTraits(draft.msg.channel).quotesHistory) return;
    const { reply, trimmed } = trimReply(draft.content.text);
    draft.content.newText = trimmed ? reply : null;
    // an HTML-only mail: the quote and signature are marked up, which says more than its text
    if (draft.msg.textFromHtml && draft.msg.html) {
      const fromHtml = trimReply(htmlReplyText(draft.msg.html)).reply;
      if (fromHtml && fromHtml.length < (draft.content.newText ?? draft.content.text).trim().length) draft.content.newText = fromHtml;
    }
  },
};
