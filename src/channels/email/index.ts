// The email channel: mail parsed from IMAP mailboxes and the SMTP listener, sent through SMTP.
import type { Channel } from '../channel.ts';
import { startEmailIntake, type EmailIntake } from './email-intake.ts';
import { parseEmail } from './parse-email.ts';
import { createEmailSender } from './smtp-sender.ts';

export const emailChannel: Channel<EmailIntake> = {
  id: 'email',
  forDesk: (deps) => ({
    parsers: { email: parseEmail },
    sender: createEmailSender(deps),
    startIntake: startEmailIntake,
  }),
};
