// Where a web rate limit counts its hits: in the database when the desk runs on PostgreSQL, so that
// the desk processes behind a load balancer share one count per client; in the process's memory on
// SQLite, where one web process serves every request (express-rate-limit's own store).
import type { Options, Store, IncrementResponse, ClientRateLimitInfo } from 'express-rate-limit';
import type { Db } from '../db/client.ts';
import type { Clock } from '../deps.ts';
import { hitRateLimit, readRateLimit, resetRateLimit, unhitRateLimit } from './rate-limits.ts';

export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** the limiter's name, so that two limiters never share a count */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = await readRateLimit(this.db, this.prefix + key, this.clock.now());
    return row && { totalHits: row.hits, resetTime: new Date(row.resetAt) };
  }

  async increment(key: string): Promise<IncrementResponse> {
    const row = await hitRateLimit(this.db, this.prefix + key, this.clock.now(), this.windowMs);
    return { totalHits: row.hits, resetTime: new Date(row.resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await unhitRateLimit(this.db, this.prefix + key, this.clock.now());
  }

  async resetKey(key: string): Promise<void> {
    await resetRateLimit(this.db, this.prefix + key);
  }
}

/** The store for the limiter named `name`: shared through the database on PostgreSQL, else undefined (memory). */
export function rateLimitStore(deps: { db: Db; clock: Clock }, name: string): Store | undefined {
  return deps.db.engine === 'postgres' ? new DatabaseRateLimitStore(deps.db, deps.clock, `${name}:`) : undefined;
}
