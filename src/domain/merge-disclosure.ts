// Who sees what when one ticket is merged into another. Merging moves the source's conversation
// into the target and keeps the source's requester (and CC'd people) on the target's thread, so
// when the two tickets belong to different requesters or organisations, people see conversations
// that were not theirs. The desk asks for confirmation and says exactly who sees what.

export type MergeSide = {
  number: number;
  requesterId: number | null;
  requesterName: string | null;
  organizationId: number | null;
  organizationName: string | null;
  /** addresses kept on the thread (CC) */
  participants: readonly string[];
};

export type Disclosure =
  /** the source's requester becomes a participant of the target and sees its whole conversation */
  | { kind: 'requester_joins'; name: string; source: number; target: number }
  /** the target's requester sees the source's conversation, now in their ticket */
  | { kind: 'requester_sees'; name: string; source: number; target: number }
  /** people CC'd on the source receive the target's replies */
  | { kind: 'participants_join'; addresses: string[]; source: number; target: number }
  /** the target's organisation may see its tickets: it sees the source's conversation */
  | { kind: 'organization_sees'; name: string; source: number; target: number };

/**
 * What a merge of source into target shows to whom: empty for the same requester and organisation
 * (nobody sees anything new, so the merge needs no confirmation).
 */
export function mergeDisclosures(source: MergeSide, target: MergeSide): Disclosure[] {
  if (source.requesterId === target.requesterId && source.organizationId === target.organizationId) return [];
  const at = { source: source.number, target: target.number };
  const out: Disclosure[] = [];
  const otherPerson = source.requesterId !== target.requesterId;
  if (otherPerson && source.requesterId !== null) out.push({ kind: 'requester_joins', name: source.requesterName ?? '—', ...at });
  if (otherPerson && target.requesterId !== null) out.push({ kind: 'requester_sees', name: target.requesterName ?? '—', ...at });
  const joining = source.participants.filter((a) => !target.participants.includes(a));
  if (joining.length) out.push({ kind: 'participants_join', addresses: joining, ...at });
  if (source.organizationId !== target.organizationId && target.organizationId !== null) {
    out.push({ kind: 'organization_sees', name: target.organizationName ?? '—', ...at });
  }
  return out;
}

/** The sentence the API and the logs show (the console has its own, translated). */
export function describeDisclosure(d: Disclosure): string {
  switch (d.kind) {
    case 'requester_joins':
      return `${d.name} (requester of #${d.source}) will become a participant of #${d.target} and will see its whole conversation`;
    case 'requester_sees':
      return `${d.name} (requester of #${d.target}) will see the conversation of #${d.source}`;
    case 'participants_join':
      return `${d.addresses.join(', ')} (CC on #${d.source}) will receive the replies on #${d.target}`;
    case 'organization_sees':
      return `people of ${d.name} who may see their organisation's tickets will see the conversation of #${d.source}`;
  }
}
