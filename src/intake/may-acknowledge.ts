// Whether the desk may answer an inbound mail automatically (the new-ticket acknowledgement and
// other automatic notices to the sender). Outbound's notification rules ask here, so automatic
// mail, bounces, mailing lists and our own mail coming back never start a mail loop.
import type { Draft } from './types.ts';

export function mayAcknowledge(draft: Pick<Draft, 'drop' | 'autoReply' | 'bounce' | 'mailingList'>): boolean {
  return !draft.drop && !draft.autoReply && !draft.bounce && !draft.mailingList;
}
