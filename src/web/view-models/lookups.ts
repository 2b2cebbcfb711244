// Names for the ids on tickets (people, contacts, components, organisations), loaded once per page.
import type { Db } from '../../db/client.ts';
import { listComponentOptions } from '../../store/components.ts';
import { listContactNames } from '../../store/contacts.ts';
import { listOrganizationsByIds } from '../../store/organization-names.ts';
import type { Ticket } from '../../store/tickets.ts';
import { listUserOptions } from '../../store/users.ts';

export type Lookups = {
  users: Map<number, string>;
  contacts: Map<number, string>;
  components: Map<number, string>;
  organizations: Map<number, string>;
};

export async function lookupsFor(db: Db, tickets: Ticket[], extraContactIds: number[] = []): Promise<Lookups> {
  const contactIds = [...tickets.flatMap((t) => (t.requesterId ? [t.requesterId] : [])), ...extraContactIds];
  const orgIds = tickets.flatMap((t) => (t.organizationId ? [t.organizationId] : []));
  return {
    users: new Map((await listUserOptions(db)).map((u) => [u.id, u.name])),
    contacts: new Map((await listContactNames(db, contactIds)).map((c) => [c.id, c.name])),
    components: new Map((await listComponentOptions(db)).map((c) => [c.id, c.name])),
    organizations: new Map((await listOrganizationsByIds(db, orgIds)).map((o) => [o.id, o.name])),
  };
}
