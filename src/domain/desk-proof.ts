// Proof that an answer comes from this desk: /healthz?challenge=<32 hex> answers with an HMAC of
// the challenge under a key derived from the session secret (every process of one desk shares it),
// so the start check can tell this desk behind PUBLIC_URL from anything else answering there. The
// derived key keeps the answers unrelated to anything else the session secret signs.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const CHALLENGE = /^[0-9a-f]{32}$/;

export function newChallenge(): string {
  return randomBytes(16).toString('hex');
}

export function isChallenge(value: unknown): value is string {
  return typeof value === 'string' && CHALLENGE.test(value);
}

export function deskProof(secret: string, challenge: string): string {
  const key = createHmac('sha256', secret).update('helpdesk desk-proof key').digest();
  return createHmac('sha256', key).update(challenge).digest('hex');
}

export function provesDesk(secret: string, challenge: string, proof: unknown): boolean {
  if (typeof proof !== 'string' || !/^[0-9a-f]{64}$/.test(proof)) return false;
  return timingSafeEqual(Buffer.from(deskProof(secret, challenge)), Buffer.from(proof));
}
