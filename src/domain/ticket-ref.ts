// Ticket references in subjects and SMS text: the "[#123]" tag and bare "#123".

const SUBJECT_TAG = /\[#(\d{1,9})\]/;
const SMS_REF = /(?:^|[\s(])#(\d{1,9})\b/;
// Reply/forward prefixes in the languages our requesters write in (Re, Fwd, AW, WG, Ответ, Пересл, 回复…).
const PREFIX = /^\s*((re|fw|fwd|aw|wg|sv|vs|ref|tr|rv|odp|antw|отв|ответ|пересл|переслать|fw|回复|答复|转发)\s*(\[\d+\])?\s*[:：]\s*)+/i;

export function subjectTag(number: number): string {
  return `[#${number}]`;
}

export function findSubjectTag(subject: string): number | undefined {
  const m = SUBJECT_TAG.exec(subject);
  return m ? Number(m[1]) : undefined;
}

export function findSmsTicketRef(text: string): number | undefined {
  const m = SMS_REF.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The subject without reply prefixes and our tag, for new tickets and comparisons. */
export function cleanSubject(subject: string): string {
  return subject.replace(SUBJECT_TAG, ' ').replace(PREFIX, '').replace(/\s+/g, ' ').trim();
}

/** Adds the tag to an outgoing subject unless it already carries it. */
export function taggedSubject(subject: string, number: number): string {
  const tag = subjectTag(number);
  return subject.includes(tag) ? subject : `${cleanSubject(subject) || subject} ${tag}`.trim();
}
