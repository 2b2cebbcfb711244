// What a channel adapter (src/channels/<id>/index.ts) contributes to a desk. buildServices and the
// intake role take every channel in CHANNELS_ENABLED (src/channels/index.ts) alike, so a new
// channel is its folder plus one line there; what differs between channels in shared code is
// asked of src/domain/channel-traits.ts.
import type { Router } from 'express';
import type { Ctx, Hooks } from '../actions/context.ts';
import type { Deps } from '../deps.ts';
import type { Channel as MessageChannel } from '../domain/vocabulary.ts';
import type { Intake, Parser } from '../intake/receive.ts';
import type { ChannelSender } from '../outbox/types.ts';

/**
 * Provider callbacks (incoming messages, delivery reports) that prove themselves by signature: the
 * web role mounts them before cookies, sessions and CSRF, which they have no use for. A channel may
 * not import the web (scripts/check-imports.ts), so this is the one router shape it contributes;
 * the web's WebRouter accepts it as its 'webhook' kind.
 */
export type ChannelWebhooks = { auth: 'webhook'; build(): Router };

/** How channels that fetch their messages pace themselves: the defaults suit a desk, tests shorten them. */
export type IntakeTiming = {
  /** the fetch that runs even when the server has pushed nothing (IMAP: default 60 s) */
  pollIntervalMs?: number;
  /** wait for the server to push news where it can (IMAP IDLE; default true) */
  idle?: boolean;
  /** reconnect delays: initial, doubled after each failure up to max (IMAP: default 1 s … 5 min) */
  backoff?: { initialMs: number; maxMs: number };
  /** how often the channel's settings (the mailboxes) are checked for changes (default 5 s) */
  reconcileMs?: number;
};

/** What a channel runs in the intake role (pollers, listeners), stopped with the role. */
export type ChannelIntake = {
  stop(): Promise<void>;
  /** applies changed settings now instead of at the next check */
  reconcile?(): Promise<void>;
};

/** The parts one desk gets from a channel; every one is optional. */
export type ChannelParts<Running extends ChannelIntake = ChannelIntake> = {
  /** how intake turns the raw input of each message channel this adapter carries into a message */
  parsers?: Partial<Record<MessageChannel, Parser>>;
  /** plugs the channel's reactions into the desk's hooks (after the notification rules and policies, before automatic assignment) */
  registerHooks?(hooks: Hooks): void;
  /** how the outbox worker delivers the channel's rows */
  sender?: ChannelSender;
  /** the provider's callbacks, for the web role */
  webhooks?(ctx: Ctx, intake: Intake): ChannelWebhooks[];
  /** starts what takes messages in for the intake role; null when there is nothing to run */
  startIntake?(ctx: Ctx, intake: Intake, timing: IntakeTiming): Promise<Running | null>;
};

export type Channel<Running extends ChannelIntake = ChannelIntake> = {
  /** the adapter's name: in logs, and the key of its console pages (src/web/routes/channel-consoles.ts) */
  id: string;
  /**
   * Builds the channel's parts for one desk. buildServices calls it once per desk, so what the
   * parts share (the SMS texts compiled for the hooks and the sender alike) is the desk's own.
   */
  forDesk(deps: Deps): ChannelParts<Running>;
};
