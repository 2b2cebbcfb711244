// Console people: the admin adds agents, managers and admins, changes roles, deactivates; everyone
// edits their own profile (name, language, time zone, availability) and password.
import { verify } from '@node-rs/argon2';
import { z } from 'zod';
import { parseMoneyCents } from '../domain/quantities.ts';
import { inTransaction } from '../db/client.ts';
import { LOCALES, ROLES } from '../db/schema.ts';
import { AppError, invalid } from '../domain/errors.ts';
import { revokeUserApiTokens } from '../store/api-tokens.ts';
import { deleteUserSessions } from '../store/sessions.ts';
import { getUser, listActiveUsersByRole, updateUser, type User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { sendInvitation } from './password-links.ts';
import { createUser, hashPassword } from './users.ts';
import { auditUser } from './user-audit.ts';
import { parseInput } from './validate.ts';

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z.string().trim().refine(isTimeZone, 'Choose a time zone from the list, e.g. Europe/Moscow');
const password = z.string().min(10, 'The password needs at least 10 characters').max(200);

export const staffSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  role: z.enum(ROLES, { message: 'Choose a role' }),
  locale: z.enum(LOCALES),
  timeZone,
  active: z.boolean().default(true),
  available: z.boolean().default(true),
  // what an hour of their time costs the desk, as typed ("1500", "1 500,50"); empty: not known
  hourlyCostCents: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined; // not on the form: left as it is
      const v = parseMoneyCents(text);
      if (v !== undefined && (v === null || v < 1e10)) return v;
      ctx.issues.push({ code: 'custom', message: `“${text}” is not an amount like 1500 or 1500.50`, input: text });
      return z.NEVER;
    }),
});

/**
 * Adds a member of staff. Without a password (empty) they are invited: a mail with a link to set
 * their own goes out with the new account, in the same transaction.
 */
function staffEditAction(before: User, after: User): string {
  if (before.active !== after.active) return after.active ? 'reactivated' : 'deactivated';
  return before.role !== after.role ? 'role_changed' : 'updated';
}

export async function addStaff(ctx: Ctx, admin: User, input: { email: string; password: string } & z.input<typeof staffSchema>): Promise<User> {
  requirePermission(admin, 'user.manage');
  const v = parseInput(staffSchema, input);
  const invite = input.password === '';
  return await inTransaction(ctx.db, async () => {
    const user = await createUser(ctx, { email: input.email, name: v.name, role: v.role, password: invite ? null : input.password, locale: v.locale });
    await updateUser(ctx.db, user.id, { timeZone: v.timeZone, available: v.available, hourlyCostCents: v.hourlyCostCents ?? null }, ctx.clock.now());
    if (invite) await sendInvitation(ctx, admin, user.id);
    const added = await getUser(ctx.db, user.id);
    await auditUser(ctx, admin, invite ? 'invited' : 'created', null, added);
    return added;
  });
}

export async function editStaff(ctx: Ctx, admin: User, id: number, input: z.input<typeof staffSchema>): Promise<User> {
  requirePermission(admin, 'user.manage');
  const v = parseInput(staffSchema, input);
  return await inTransaction(ctx.db, async () => {
    const user = await getUser(ctx.db, id);
    const losesAdmin = user.role === 'admin' && user.active && (v.role !== 'admin' || !v.active);
    if (losesAdmin && (await listActiveUsersByRole(ctx.db, 'admin')).length <= 1) {
      throw new AppError('conflict', 'The desk needs at least one active administrator');
    }
    const { hourlyCostCents, ...rest } = v;
    await updateUser(ctx.db, id, hourlyCostCents === undefined ? rest : { ...rest, hourlyCostCents }, ctx.clock.now());
    // a deactivated person is out at once: every session ends and every API token is revoked
    if (!v.active) {
      await deleteUserSessions(ctx.db, id);
      await revokeUserApiTokens(ctx.db, id, ctx.clock.now());
    }
    const after = await getUser(ctx.db, id);
    await auditUser(ctx, admin, staffEditAction(user, after), user, after);
    return after;
  });
}

/**
 * An admin sets someone's password: that person's sessions end (an admin's own current session
 * stays) and their API tokens are revoked — a reset follows a suspicion, and a token made with the
 * old password would outlive it.
 */
export async function setStaffPassword(ctx: Ctx, admin: User, id: number, newPassword: string, opts: { currentSessionId?: string | null } = {}): Promise<void> {
  requirePermission(admin, 'user.manage');
  const p = parseInput(z.object({ password }), { password: newPassword }).password;
  await getUser(ctx.db, id);
  const hash = await hashPassword(p);
  await inTransaction(ctx.db, async () => {
    const before = await getUser(ctx.db, id);
    await updateUser(ctx.db, id, { passwordHash: hash }, ctx.clock.now());
    await deleteUserSessions(ctx.db, id, { except: id === admin.id ? opts.currentSessionId : null });
    await revokeUserApiTokens(ctx.db, id, ctx.clock.now());
    await auditUser(ctx, admin, 'password_set', before, await getUser(ctx.db, id));
  });
}

export const profileSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(200),
  locale: z.enum(LOCALES),
  timeZone,
  available: z.boolean(),
});

export async function updateProfile(ctx: Ctx, user: User, input: z.input<typeof profileSchema>): Promise<User> {
  requirePermission(user, 'profile.edit');
  const v = parseInput(profileSchema, input);
  return await inTransaction(ctx.db, async () => {
    const before = await getUser(ctx.db, user.id);
    await updateUser(ctx.db, user.id, v, ctx.clock.now());
    const after = await getUser(ctx.db, user.id);
    await auditUser(ctx, user, 'profile_updated', before, after);
    return after;
  });
}

export async function setAvailability(ctx: Ctx, user: User, available: boolean): Promise<User> {
  requirePermission(user, 'profile.edit');
  await updateUser(ctx.db, user.id, { available }, ctx.clock.now());
  return await getUser(ctx.db, user.id);
}

/** Changes one's own password after checking the current one; every other session ends and every API token is revoked. */
export async function changeOwnPassword(ctx: Ctx, user: User, input: { current: string; password: string; currentSessionId?: string | null }): Promise<void> {
  requirePermission(user, 'profile.edit');
  const p = parseInput(z.object({ password }), { password: input.password }).password;
  const fresh = await getUser(ctx.db, user.id);
  if (!fresh.passwordHash || !(await verify(fresh.passwordHash, input.current).catch(() => false))) {
    throw invalid('The current password is not right', { current: 'Wrong password' });
  }
  const hash = await hashPassword(p);
  await inTransaction(ctx.db, async () => {
    await updateUser(ctx.db, user.id, { passwordHash: hash }, ctx.clock.now());
    await deleteUserSessions(ctx.db, user.id, { except: input.currentSessionId });
    await revokeUserApiTokens(ctx.db, user.id, ctx.clock.now());
    await auditUser(ctx, user, 'password_changed', fresh, await getUser(ctx.db, user.id));
  });
}
