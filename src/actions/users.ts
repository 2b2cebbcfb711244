// Use cases around console users: creating them, signing in and out.
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { ROLES, type Locale, type Role } from '../db/schema.ts';
import { AppError, invalid } from '../domain/errors.ts';
import { countUsers, findUserByEmail, insertUser, type User } from '../store/users.ts';
import { deleteSession, insertSession } from '../store/sessions.ts';
import { inTransaction } from '../db/client.ts';
import { sessionExpiry } from '../domain/session-lifetime.ts';
import { parseInput } from './validate.ts';
import { auditUser } from './user-audit.ts';

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, so spelled out)

export const newUserSchema = z.object({
  email: z.email({ message: 'Enter a valid email address' }).transform((v) => v.toLowerCase()),
  name: z.string().trim().min(1, 'Enter a name').max(200),
  role: z.enum(ROLES),
  password: z.string().min(10, 'The password needs at least 10 characters').max(200),
  locale: z.enum(['en', 'ru']).optional(),
});

/** Someone who will choose their own password from an invitation (actions/password-links.ts). */
const invitedUserSchema = newUserSchema.omit({ password: true });

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

/** A new console user; without a password (null) they get one only through an invitation. */
export async function createUser(deps: Deps, input: { email: string; name: string; role: Role; password: string | null; locale?: Locale }): Promise<User> {
  const v = input.password === null ? { ...parseInput(invitedUserSchema, input), password: null } : parseInput(newUserSchema, input);
  if (await findUserByEmail(deps.db, v.email)) throw invalid(`A user with ${v.email} already exists`, { email: 'Already in use' });
  const passwordHash = v.password === null ? null : await hashPassword(v.password);
  return await insertUser(
    deps.db,
    { email: v.email, name: v.name, role: v.role, passwordHash, locale: v.locale ?? deps.config.defaultLocale, timeZone: deps.config.timeZone },
    deps.clock.now(),
  );
}

/** A new console user added from the command line: recorded in the audit log as made by the system. */
export async function createUserBySystem(deps: Deps, input: Parameters<typeof createUser>[1]): Promise<User> {
  return await inTransaction(deps.db, async () => {
    const user = await createUser(deps, input);
    await auditUser(deps, null, 'created', null, user);
    return user;
  });
}

/** First-run setup: creates the admin only while there are no users at all. */
export async function createFirstAdmin(deps: Deps, input: { email: string; name: string; password: string; locale?: Locale }): Promise<User> {
  if (await countUsers(deps.db) > 0) throw new AppError('conflict', 'The desk is already set up');
  const v = parseInput(newUserSchema, { ...input, role: 'admin' });
  const passwordHash = await hashPassword(v.password);
  return await inTransaction(deps.db, async () => {
    if (await countUsers(deps.db) > 0) throw new AppError('conflict', 'The desk is already set up');
    const admin = await insertUser(
      deps.db,
      { email: v.email, name: v.name, role: 'admin', passwordHash, locale: v.locale ?? deps.config.defaultLocale, timeZone: deps.config.timeZone },
      deps.clock.now(),
    );
    await auditUser(deps, null, 'created', null, admin);
    return admin;
  });
}

// A fixed hash to verify against when the email is unknown, so timing does not reveal which emails exist.
// A memo of a constant (made once per process): any hash of this password serves, and it holds nothing of a desk.
let dummyHash: Promise<string> | undefined;

export type PasswordCheck = { ok: true; user: User } | { ok: false; reason: 'unknown_account' | 'inactive_account' | 'wrong_password' };

/** Checks an email and password; a refusal says why (for the log, never for the visitor). */
export async function authenticate(deps: Deps, email: string, password: string): Promise<PasswordCheck> {
  const user = await findUserByEmail(deps.db, email);
  if (!user || !user.active || !user.passwordHash) {
    await verify(await (dummyHash ??= hashPassword('not-a-real-password')), password).catch(() => false);
    return { ok: false, reason: user ? 'inactive_account' : 'unknown_account' };
  }
  return (await verify(user.passwordHash, password).catch(() => false)) ? { ok: true, user } : { ok: false, reason: 'wrong_password' };
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session; returns the cookie token (only its hash is stored). */
export async function startSession(deps: Deps, user: User, meta: { userAgent?: string; ip?: string }): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await insertSession(deps.db, {
    id: sessionIdOf(token), userId: user.id, createdAt: now, lastSeenAt: now, expiresAt: sessionExpiry(now, now),
    userAgent: meta.userAgent?.slice(0, 300) ?? null, ip: meta.ip ?? null,
  });
  return token;
}

export async function endSession(deps: Deps, token: string): Promise<void> {
  await deleteSession(deps.db, sessionIdOf(token));
}
