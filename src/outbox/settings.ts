// The outbox's settings, kept in the settings table with defaults: the send limits of the loop
// backstop and whether agent replies quote the previous message. Plus each channel's health as
// the worker last saw it, so the console (maybe another process) can tell.
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { DEFAULT_SEND_LIMITS, type SendLimits } from '../domain/send-limits.ts';
import { findSetting, upsertSetting } from '../store/settings.ts';
import type { OutboxChannel } from '../store/outbox.ts';

const tier = z.object({ scope: z.enum(['ticket', 'recipient']), windowMinutes: z.number().int().positive(), max: z.number().int().min(0) });
const limitsSchema = z.object({ requester: z.array(tier), agent: z.array(tier) });

export type OutboxSettings = { limits: SendLimits; quoteHistory: boolean };

const KEYS = { limits: 'outbox.limits', quoteHistory: 'outbox.quoteHistory' } as const;

export async function getOutboxSettings(db: Db): Promise<OutboxSettings> {
  const limits = limitsSchema.safeParse(await findSetting(db, KEYS.limits));
  const quote = await findSetting<unknown>(db, KEYS.quoteHistory);
  return {
    limits: limits.success ? limits.data : DEFAULT_SEND_LIMITS,
    quoteHistory: typeof quote === 'boolean' ? quote : true,
  };
}

export async function saveOutboxSettings(db: Db, s: OutboxSettings, now: number): Promise<void> {
  await upsertSetting(db, KEYS.limits, limitsSchema.parse(s.limits), now);
  await upsertSetting(db, KEYS.quoteHistory, s.quoteHistory, now);
}

export type ChannelHealth = { ok: boolean; since: number; lastError: string | null; checkedAt: number };

export async function getChannelHealth(db: Db, channel: OutboxChannel): Promise<ChannelHealth | undefined> {
  return await findSetting<ChannelHealth>(db, `outbox.health.${channel}`);
}

export async function saveChannelHealth(db: Db, channel: OutboxChannel, h: ChannelHealth): Promise<void> {
  await upsertSetting(db, `outbox.health.${channel}`, h, h.checkedAt);
}
