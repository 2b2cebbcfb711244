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

/** A DNS lookup as node's dns.resolve(name, rrtype) does it (errors carry ENOTFOUND, ENODATA, ETIMEOUT…). */
export type DnsResolve = (name: string, rrtype: string) => Promise<string[] | string[][]>;

export type Deps = {
  config: Config;
  db: Db;
  files: FileStore;
  log: Logger;
  clock: Clock;
  secrets: Secrets;
  /** DNS for checking who sent a mail (MAIL_SENDER_VERIFY=mailauth); without it the sender stays unknown */
  resolveDns?: DnsResolve;
};

export const systemClock: Clock = { now: () => Date.now() };
