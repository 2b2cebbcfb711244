// Finds the sender among contacts (by email or phone) and agents; the organisation by email domain.
import { findContactEmail, findContact, findContactPhone, findOrganizationIdByDomain } from '../../store/contacts.ts';
import { findUserByEmail } from '../../store/users.ts';
import type { Step } from '../types.ts';

export const identifyRequester: Step = {
  name: 'identify-requester',
  run(draft, { db }) {
    const from = draft.msg.from;
    if (!from) return;
    const address = from.address;
    const isPhone = address.startsWith('+');
    const known = isPhone ? findContactPhone(db, address) : findContactEmail(db, address);
    const contact = known ? findContact(db, known.contactId) : undefined;
    const domain = isPhone ? undefined : address.split('@')[1];
    const user = isPhone ? undefined : findUserByEmail(db, address);
    draft.requester = {
      address,
      name: contact?.name ?? (from.name || (isPhone ? address : address.split('@')[0])),
      contactId: contact?.id ?? null,
      organizationId: contact?.organizationId ?? (domain ? (findOrganizationIdByDomain(db, domain) ?? null) : null),
      userId: user?.active ? user.id : null,
    };
  },
};
