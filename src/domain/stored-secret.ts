// Passwords the desk must hand to other servers (mailbox logins) are kept sealed in the database:
// AES-256-GCM under a key derived from the desk's secret (SESSION_SECRET, else DATA_DIR/secret.key).
// A copy of the database alone, a backup or a file sent along with a support question, does not
// give them away. A value stored before sealing existed is read as it is and sealed at the next start.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'sealed:v1:';
const IV = 12;
const TAG = 16;

/** The stored value cannot be opened with this desk's key: the secret changed since it was saved. */
export class UnreadableSecretError extends Error {
  constructor(what: string) {
    super(`the stored ${what} cannot be read with this desk's secret key (SESSION_SECRET or DATA_DIR/secret.key changed since it was saved): enter it again`);
    this.name = 'UnreadableSecretError';
  }
}

const keyOf = (key: string): Buffer => {
  const k = Buffer.from(key, 'base64url');
  if (k.length !== 32) throw new Error('the credentials key must be 32 bytes (base64url)');
  return k;
};

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

export function sealSecret(key: string, plain: string): string {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', keyOf(key), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The plain value of a sealed one; a value that was never sealed is returned as it is. */
export function openSecret(key: string, stored: string, what = 'password'): string {
  if (!isSealed(stored)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  if (raw.length < IV + TAG) throw new UnreadableSecretError(what);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(key), raw.subarray(0, IV));
    decipher.setAuthTag(raw.subarray(IV, IV + TAG));
    return Buffer.concat([decipher.update(raw.subarray(IV + TAG)), decipher.final()]).toString('utf8');
  } catch {
    throw new UnreadableSecretError(what);
  }
}
