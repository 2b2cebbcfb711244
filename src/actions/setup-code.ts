// The first-run setup page creates an admin for whoever comes first. When the desk listens on
// more than the loopback interface or is published under a public address, that form also needs
// a one-time code that only someone who can read the desk's log has: each web process prints its
// own at start; the hashes are kept in the database so a code works on whichever process serves
// the form, and are gone once the admin exists.
import { createHash, randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import type { Config } from '../config.ts';
import type { Locale } from '../db/schema.ts';
import { AppError } from '../domain/errors.ts';
import { findSetting, upsertSetting } from '../store/settings.ts';
import { countUsers, type User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { beginAttempt, forgiveAttempt, logRefusal } from './sign-in.ts';
import { createFirstAdmin } from './users.ts';
import { inTransaction } from '../db/client.ts';

const SETTING = 'setup.codeHashes';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: it is typed from a log
const KEEP = 20;

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Only a desk that nobody else can reach goes without the code: one listening on loopback and not
 * published elsewhere. A reverse proxy on the same machine connects from loopback too, so a public
 * PUBLIC_URL means other people can reach the form.
 */
export function setupCodeRequired(config: Pick<Config, 'host' | 'publicUrl'>): boolean {
  return !isLoopbackHost(config.host) || !isLoopbackHost(new URL(config.publicUrl).hostname);
}

const hashOf = (code: string) => createHash('sha256').update(code.toUpperCase().replace(/[^A-Z0-9]/g, '')).digest('hex');

/** 16 characters from 32 (80 bits), in groups of four. */
export function newSetupCode(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** At start of the web role: while no user exists and a code is needed, makes one and logs it (only there). */
export async function issueSetupCode(ctx: Ctx): Promise<void> {
  if (!setupCodeRequired(ctx.config) || await countUsers(ctx.db) > 0) return;
  const code = newSetupCode();
  // read and written as one unit: processes starting together each add their code
  await inTransaction(ctx.db, async () => {
    const kept = await findSetting<string[]>(ctx.db, SETTING) ?? [];
    await upsertSetting(ctx.db, SETTING, [...kept, hashOf(code)].slice(-KEEP), ctx.clock.now());
  });
  ctx.log.warn({ event: 'setup_code', setupCode: code }, `First-run setup: open ${ctx.config.publicUrl}/setup and enter the setup code ${code}`);
}

export async function setupCodeMatches(ctx: Ctx, code: string): Promise<boolean> {
  const kept = await findSetting<string[]>(ctx.db, SETTING) ?? [];
  return code.trim() !== '' && kept.includes(hashOf(code));
}

/** The codes are of no use once the admin exists. */
export async function forgetSetupCodes(ctx: Ctx): Promise<void> {
  await upsertSetting(ctx.db, SETTING, [], ctx.clock.now());
}

/**
 * Creates the first admin from the setup form. Off loopback the setup code must match; a wrong
 * code is logged and counts as a failed sign-in of the address, so the lock-out limits guessing.
 */
export async function setUpDesk(ctx: Ctx, input: { email: string; name: string; password: string; locale?: Locale; setupCode: string; ip: string }): Promise<User> {
  if (setupCodeRequired(ctx.config)) {
    const attempt = await beginAttempt(ctx, null, input.ip);
    if ('locked' in attempt) {
      logRefusal(ctx, 'setup', attempt.locked, null, input.ip);
      throw new AppError('rate_limited', 'Too many wrong attempts from your address. Wait and try again.');
    }
    if (!await setupCodeMatches(ctx, input.setupCode)) {
      logRefusal(ctx, 'setup', 'wrong_setup_code', null, input.ip);
      throw new AppError('forbidden', 'The setup code is not right', { fields: { setupCode: 'signin.setupCodeWrong' } });
    }
    await forgiveAttempt(ctx, { id: attempt.id, ip: input.ip }, null);
  }
  const user = await createFirstAdmin(ctx, input);
  await forgetSetupCodes(ctx);
  ctx.log.info({ event: 'setup_done', email: user.email, ip: input.ip }, 'first admin created on the setup page');
  return user;
}
