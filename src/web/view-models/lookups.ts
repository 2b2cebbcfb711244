// Names for the ids on tickets (people, contacts, components, organisations), loaded once per page.
import type { Db } from '../../db/client.ts';
import { listComponentOptions, type ComponentOption } from '../../store/components.ts';
import { listContactNames } from '../../store/contacts.ts';
import { listOrganizationsByIds } from '../../store/organization-names.ts';
import type { Ticket } from '../../store/tickets.ts';
import { listUserOptions, type UserOption } from '../../store/users.ts';

export type Lookups = {
  users: Map<number, string>;
  contacts: Map<number, string>;
  components: Map<number, string>;
  organizations: Map<number, string>;
  /** the lists the names came from, for the selects of a page that also needs them */
  userOptions: UserOption[];
  componentOptions: ComponentOption[];
};

export async function lookupsFor(db: Db, tickets: Ticket[], extraContactIds: number[] = []): Promise<Lookups> {
  const contactIds = [...tickets.flatMap((t) => (t.requesterId ? [t.requesterId] : [])), ...extraContactIds];
  const orgIds = tickets.flatMap((t) => (t.organizationId ? [t.organizationId] : []));
  const userOptions = await listUserOptions(db);
  const componentOptions = await listComponentOptions(db);
  return {
    users: new Map(userOptions.map((u) => [u.id, u.name])),
    contacts: new Map((await listContactNames(db, contactIds)).map((c) => [c.id, c.name])),
    components: new Map(componentOptions.map((c) => [c.id, c.name])),
    organizations: new Map((await listOrganizationsByIds(db, orgIds)).map((o) => [o.id, o.name])),
    userOptions,
    componentOptions,
  };
}
