// Step 3: delivery failure reports (DSN multipart/report, mailer-daemon, empty Return-Path, Amazon
// SES notifications, server and mailing-list error notices); an SES complaint is recorded the same way. The
// returned original's Message-ID links the report to its ticket (match-follow-up); apply marks
// the address undeliverable on a permanent (5.x.x) failure, a transient (4.x.x) one is recorded.
import { channelTraits } from '../../domain/channel-traits.ts';
import { readDeliveryReport } from '../mail/delivery-report.ts';
import { readSesNotification } from '../mail/ses-notification.ts';
import type { Address, InboundMessage, Step } from '../types.ts';

const DAEMON = /^(mailer-daemon|mailer_daemon|mailerdaemon|postmaster|post_master|post-master|mail-daemon|maildaemon|mdaemon|bounce|bounces|mail\.delivery)(\+[^@]*)?(@|$)/i; // a bare "MAILER-DAEMON" has no domain
const DAEMON_NAME = /mail delivery (system|subsystem|service)|mailer[- ]daemon|postmaster|delivery status notification/i;
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (status notification|failure|failed|has failed|problem|notification)|returned mail|mail delivery failed|mail failure|failure notice|could not be delivered|delivery incomplete|message not delivered|mail system error|error sending|message .{0,80} delayed|non remis|non recapitabile|unzustellbar|nicht zustellbar|zustellung fehlgeschlagen|no se puede entregar|недоставленное|не доставлен|не может быть доставлено|ошибка доставки|отчет о доставке|メールエラー|配信エラー|不達/i;
// what a mail system's report says in its text when its subject says little ("Re: Test")
const FAILURE_TEXT = /could not be delivered|delivery (has )?failed|user unknown|unknown user|no such user|does not exist|mailbox (is )?(unavailable|full)|permanent (error|failure)|recipient address rejected|undeliverable|did not reach the following recipient|was not delivered to/i;
const DELAY = /delay|delayed|warning|will (retry|continue)|still trying|temporar|отложен|задерж/i;
const NO_REPLY = /^(no-?reply|do-?not-?reply)[@+.-]/i;
const REPLY_OR_FORWARD = /^\s*(re|fwd?|aw|wg|tr|sv|vs|rv)\s*:/i;
// fml (a mailing-list manager) tells a poster why the list did not take the mail
const FML_ERROR = /are not member|not member article from|reject mail |spam mail from a spammer is rejected|fml system error message|loop alert: |loop back warning: |warning: unix from loop|security alert/i;

/** Why a mail looks like a delivery report, or null when it does not. */
function reportSignal(msg: InboundMessage, from: Address): string | null {
  const h = (name: string) => msg.headers[name] ?? [];
  const contentType = h('content-type')[0] ?? '';
  if (/multipart\/report/i.test(contentType) && /report-type\s*=\s*"?(global-)?delivery-status/i.test(contentType)) return 'dsn';
  if (msg.attachments.some((a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status')) return 'dsn';
  if (/^\s*\{/.test(msg.text) && readSesNotification(msg.text)) return 'ses';
  const subjectSays = BOUNCE_SUBJECT.test(msg.subject) && !REPLY_OR_FORWARD.test(msg.subject);
  const textSays = FAILURE_TEXT.test(msg.text.slice(0, 5000));
  const fromDaemon = DAEMON.test(from.address) || DAEMON_NAME.test(from.name);
  if (fromDaemon && (subjectSays || /\b[45]\.\d{1,3}\.\d{1,3}\b/.test(msg.text) || textSays)) return 'daemon';
  const nullSender = h('return-path').some((v) => /^<\s*>$/.test(v.trim()));
  if (nullSender && subjectSays) return 'null-sender';
  const returnsOriginal = msg.attachments.some((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers');
  // an automatic sender (no-reply@, KDDI/au) returning the mail with a failure notice
  if (NO_REPLY.test(from.address) && returnsOriginal && (subjectSays || textSays)) return 'no-reply';
  // a report that names itself and says why, sent by a server (Exchange 2003, Domino, Notes)
  const automatic = nullSender || returnsOriginal || h('x-ms-embedded-report').length > 0 || h('auto-submitted').some((v) => !/^no\b/i.test(v.trim()));
  if (subjectSays && textSays && automatic) return 'server-notice';
  if (h('x-mlserver').some((v) => /\bfml\b/i.test(v)) && /-admin@/i.test(from.address) && (FML_ERROR.test(msg.subject) || FML_ERROR.test(msg.text.slice(0, 2000)))) return 'list-error';
  return null;
}

export const detectBounce: Step = {
  name: 'detect-bounce',
  run(draft) {
    const msg = draft.msg;
    if (!channelTraits(msg.channel).mailHeaders || !msg.from) return;
    if (!reportSignal(msg, msg.from)) return;

    const report = readDeliveryReport(msg);
    // the status class decides (an expired 4.x.x is not the address's fault, whatever the Action says)
    const transient = report.action === 'delayed' || (!report.status && !report.action && DELAY.test(msg.subject));
    const permanent = report.permanent ?? (report.status ? report.status.startsWith('5') : report.action === 'failed' || (!report.action && !transient));
    draft.bounce = {
      permanent,
      status: report.status,
      recipients: report.recipients,
      originalMessageId: report.originalMessageId,
      diagnostic: report.diagnostic,
      action: report.action,
    };
    draft.notes.push(
      `${report.kind === 'ses-complaint' ? 'complaint report' : 'delivery report'}: ${draft.bounce.permanent ? 'permanent failure' : 'not a permanent failure'}${report.status ? ` ${report.status}` : ''}` +
        (report.recipients.length ? ` for ${report.recipients.join(', ')}` : ''),
    );
  },
};
