// Canned replies: managed by managers, inserted into the reply box by agents with the ticket's
// values filled in (see src/domain/canned.ts for the placeholders).
import { z } from 'zod';
import { LOCALES } from '../db/schema.ts';
import { renderCanned } from '../domain/canned.ts';
import { getCannedReply, deleteCannedReply, insertCannedReply, updateCannedReply, type CannedReply } from '../store/canned-replies.ts';
import { findPrimaryEmail, findContact } from '../store/contacts.ts';
import { findOrganization } from '../store/organizations.ts';
import type { Ticket } from '../store/tickets.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';

export const cannedSchema = z.object({
  title: z.string().trim().min(1, 'Enter a title').max(120),
  body: z.string().trim().min(1, 'Write the reply text').max(20_000),
  locale: z.enum(LOCALES).nullable().default(null),
});

export async function createCannedReply(ctx: Ctx, user: User, input: z.input<typeof cannedSchema>): Promise<CannedReply> {
  requirePermission(user, 'canned.manage');
  const v = parseInput(cannedSchema, input);
  return await insertCannedReply(ctx.db, { ...v, createdBy: user.id }, ctx.clock.now());
}

export async function editCannedReply(ctx: Ctx, user: User, id: number, input: z.input<typeof cannedSchema>): Promise<void> {
  requirePermission(user, 'canned.manage');
  await getCannedReply(ctx.db, id);
  await updateCannedReply(ctx.db, id, parseInput(cannedSchema, input), ctx.clock.now());
}

export async function removeCannedReply(ctx: Ctx, user: User, id: number): Promise<void> {
  requirePermission(user, 'canned.manage');
  await getCannedReply(ctx.db, id);
  await deleteCannedReply(ctx.db, id);
}

/** The canned reply's text for this ticket and agent. */
export async function cannedTextFor(ctx: Ctx, user: User, ticket: Ticket, cannedId: number): Promise<string> {
  requirePermission(user, 'canned.use');
  const canned = await getCannedReply(ctx.db, cannedId);
  const requester = ticket.requesterId ? await findContact(ctx.db, ticket.requesterId) : undefined;
  const org = ticket.organizationId ? await findOrganization(ctx.db, ticket.organizationId) : undefined;
  return renderCanned(canned.body, {
    'requester.name': requester?.name,
    'requester.email': requester ? (await findPrimaryEmail(ctx.db, requester.id))?.email : undefined,
    'ticket.number': ticket.number,
    'ticket.subject': ticket.subject,
    'agent.name': user.name,
    'agent.email': user.email,
    'organization.name': org?.name,
  });
}
