// Builds Deps from a validated Config: database (migrated), files, logger, secrets.
// Used by main.ts and the CLI, the two entry points.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { applyDeliverySettings } from './outbox/delivery-settings.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/open.ts';
import { systemClock, type Deps, type Secrets } from './deps.ts';
import { openFileStore } from './store/open-file-store.ts';
import { sealStoredPasswords } from './store/mailboxes.ts';
import { systemDnsResolver } from './channels/email/mail-auth.ts';

/** Loads .env (if present) into process.env without overriding what is already set. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Validates the environment or prints every problem and exits 1. */
export function configOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      console.error('See .env.example and the README section "Configuration".');
      process.exit(1);
    }
    throw err;
  }
}

/** SESSION_SECRET, or one generated once and kept in DATA_DIR so sessions survive restarts. */
export function resolveSecrets(config: Config): Secrets {
  let master = config.sessionSecret;
  if (!master) {
    const file = path.join(config.dataDir, 'secret.key');
    if (existsSync(file)) master = readFileSync(file, 'utf8').trim();
    // an empty file is what a crash during the first start can leave: never sign with an empty key
    if (!master) {
      mkdirSync(config.dataDir, { recursive: true });
      master = randomBytes(48).toString('base64url');
      // written whole and flushed under another name, then renamed: the key file is complete or absent
      const tmp = `${file}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, `${master}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(tmp, 0o600);
      renameSync(tmp, file);
    }
  }
  const derive = (purpose: string) => createHmac('sha256', master!).update(purpose).digest('base64url');
  return { session: derive('session'), token: derive('ticket-token'), credentials: derive('stored-credentials') };
}

export async function openDeps(config: Config, opts: { pretty?: boolean } = {}): Promise<Deps> {
  const log = pino({ level: config.logLevel, base: undefined, ...(opts.pretty ? {} : {}) });
  const db = await openDatabase(config.database);
  const secrets = resolveSecrets(config);
  // mailbox passwords saved before they were sealed
  const sealed = await sealStoredPasswords(db, secrets.credentials);
  if (sealed) log.info({ mailboxes: sealed }, 'sealed stored mailbox passwords');
  const resolveDns = systemDnsResolver(config.senderVerify.dnsTimeoutMs);
  // outgoing mail and SMS as set in the console, where the environment does not set them
  await applyDeliverySettings({ db, config, secrets, log });
  return { config, db, files: openFileStore(db, config.dataDir), log, clock: systemClock, secrets, resolveDns };
}
