// Step 3: delivery failure reports (DSN multipart/report, mailer-daemon, empty Return-Path). The
// returned original's Message-ID links the report to its ticket (match-follow-up); apply marks
// the address undeliverable on a permanent (5.x.x) failure, a transient (4.x.x) one is recorded.
import { channelTraits } from '../../domain/channel-traits.ts';
import { readDeliveryReport } from '../mail/delivery-report.ts';
import type { Step } from '../types.ts';

const DAEMON = /^(mailer-daemon|mailer_daemon|mailerdaemon|postmaster|post_master|post-master|mail-daemon|maildaemon|mdaemon|bounce|bounces|mail\.delivery)(\+[^@]*)?@/i;
const DAEMON_NAME = /mail delivery (system|subsystem|service)|mailer[- ]daemon|postmaster|delivery status notification/i;
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (status notification|failure|failed|has failed|problem|notification)|returned mail|mail delivery failed|mail failure|failure notice|could not be delivered|delivery incomplete|message not delivered|mail system error|error sending|message .{0,80} delayed|non remis|non recapitabile|unzustellbar|nicht zustellbar|zustellung fehlgeschlagen|no se puede entregar|недоставленное|не доставлен|не может быть доставлено|ошибка доставки|отчет о доставке|メールエラー|配信エラー|不達/i;
// what a mail system's report says in its text when its subject says little ("Re: Test")
const FAILURE_TEXT = /could not be delivered|delivery (has )?failed|user unknown|unknown user|no such user|does not exist|mailbox (is )?(unavailable|full)|permanent (error|failure)|recipient address rejected|undeliverable/i;
const DELAY = /delay|delayed|warning|will (retry|continue)|still trying|temporar|отложен|задерж/i;

export const detectBounce: Step = {
  name: 'detect-bounce',
  run(draft) {
    const msg = draft.msg;
    if (!channelTraits(msg.channel).mailHeaders || !msg.from) return;
    const contentType = msg.headers['content-type']?.[0] ?? '';
    const isDsn =
      (/multipart\/report/i.test(contentType) && /report-type\s*=\s*"?(global-)?delivery-status/i.test(contentType)) ||
      msg.attachments.some((a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status');
    const fromDaemon = DAEMON.test(msg.from.address) || DAEMON_NAME.test(msg.from.name);
    const nullSender = (msg.headers['return-path'] ?? []).some((v) => /^<\s*>$/.test(v.trim()));
    const subjectSays = BOUNCE_SUBJECT.test(msg.subject);
    const daemonSays = fromDaemon && (subjectSays || /\b[45]\.\d{1,3}\.\d{1,3}\b/.test(msg.text) || FAILURE_TEXT.test(msg.text.slice(0, 5000)));
    if (!isDsn && !daemonSays && !(nullSender && subjectSays)) return;

    const report = readDeliveryReport(msg);
    const failed = report.action === 'failed' || report.status?.startsWith('5') === true;
    const transient = report.status?.startsWith('4') === true || report.action === 'delayed' || (!report.status && !report.action && DELAY.test(msg.subject));
    draft.bounce = {
      permanent: failed || (!transient && !report.status?.startsWith('2') && !report.action),
      status: report.status,
      recipients: report.recipients,
      originalMessageId: report.originalMessageId,
      diagnostic: report.diagnostic,
      action: report.action,
    };
    draft.notes.push(
      `delivery report: ${draft.bounce.permanent ? 'permanent failure' : 'not a permanent failure'}${report.status ? ` ${report.status}` : ''}` +
        (report.recipients.length ? ` for ${report.recipients.join(', ')}` : ''),
    );
  },
};
