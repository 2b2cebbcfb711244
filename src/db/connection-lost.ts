// Whether a database call failed because the database could not be reached or the connection broke
// (a PostgreSQL server restarting, a network fault): the same call may succeed a little later.

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// SQLSTATE connection exceptions (08…), and the server shutting down or starting (57P01–57P03)
const LOST_SQLSTATE = /^08[0-9A-Z]{3}$|^57P0[123]$/;
// pg's own errors when the connection breaks or cannot be had carry no code
const LOST_MESSAGE = /^Connection terminated|^timeout exceeded when trying to connect|^Client has encountered a connection error|^Connection is closed/;

/** err, or what it wraps (drizzle names the failed query around the driver's error), says the database is out of reach. */
export function isConnectionLost(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || LOST_SQLSTATE.test(code))) return true;
    if (e instanceof Error && LOST_MESSAGE.test(e.message)) return true;
  }
  return false;
}
