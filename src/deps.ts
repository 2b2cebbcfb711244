// The dependencies every layer receives from main.ts (no module-level singletons).
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { FileStore } from './store/file-store.ts';

export type Clock = { now(): number };

export type Secrets = {
  /** signs session cookies and CSRF tokens */
  session: string;
  /** signs ticket references in outgoing mail (Message-ID, reply address) */
  token: string;
  /** seals the passwords the desk keeps for other servers (32 bytes, base64url) */
  credentials: string;
};

export type Deps = {
  config: Config;
  db: Db;
  files: FileStore;
  log: Logger;
  clock: Clock;
  secrets: Secrets;
};

export const systemClock: Clock = { now: () => Date.now() };
