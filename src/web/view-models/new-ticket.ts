// What the new-ticket form sees: the choices with the typed values selected, and the errors.
import type { Ctx } from '../../actions/context.ts';
import { CATEGORIES, PRIORITIES, TICKET_TYPES } from '../../db/schema.ts';
import { listComponents } from '../../store/components.ts';

export async function newTicketForm(ctx: Ctx, values: Record<string, string>, errors: Record<string, string> = {}, message?: string) {
  return {
    values,
    errors,
    error: message,
    priorities: PRIORITIES.map((p) => ({ id: p, selected: (values.priority || 'normal') === p })),
    types: TICKET_TYPES.map((p) => ({ id: p, selected: (values.type || 'incident') === p })),
    categories: CATEGORIES.map((p) => ({ id: p, selected: values.category === p })),
    components: (await listComponents(ctx.db, { activeOnly: true })).map((c) => ({ id: c.id, name: c.name, selected: String(c.id) === values.componentId })),
  };
}
