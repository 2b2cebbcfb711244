// Runs the real app in-process on a free port and talks to it like a browser would: cookies,
// CSRF tokens from the page, redirects inspected rather than followed.
import type { Server } from 'node:http';
import { createApp } from '../../src/web/app.ts';
import { buildServices, type Services } from '../../src/services.ts';
import type { Deps } from '../../src/deps.ts';
import { createUser } from '../../src/actions/users.ts';
import type { Role } from '../../src/db/schema.ts';

export type TestServer = { url: string; services: Services; close(): Promise<void> };

export async function startTestServer(deps: Deps, services: Services = buildServices(deps)): Promise<TestServer> {
  const app = await createApp(services.ctx, services.web);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    services,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export class Browser {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly base: string) {}

  private store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A download: its bytes as they came. */
  async getBytes(path: string): Promise<{ status: number; body: Buffer; headers: Headers }> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookieHeader(), ...headers }, redirect: 'manual' });
    this.store(res);
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1];
    return { status: res.status, text, headers: res.headers };
  }

  async post(path: string, form: Record<string, string>, opts: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    const body = new URLSearchParams({ ...(opts.csrf === false ? {} : { _csrf: this.csrf }), ...form });
    const res = await fetch(this.base + path, {
      method: 'POST',
      body,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
      redirect: 'manual',
    });
    this.store(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /**
   * A multipart FormData as a browser sends it: the CSRF token as the first field (a form's hidden
   * _csrf input comes first), or in the X-CSRF-Token header as htmx sends it, or — to show that it
   * is refused — only in the URL.
   */
  async postFormData(path: string, form: FormData, opts: { csrf?: 'body' | 'header' | 'url' | false } = {}) {
    const how = opts.csrf ?? 'body';
    const body = new FormData();
    if (how === 'body' && !form.has('_csrf')) body.append('_csrf', this.csrf);
    for (const [k, v] of form.entries()) body.append(k, v);
    const url = how === 'url' ? `${this.base}${path}${path.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(this.csrf)}` : this.base + path;
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { cookie: this.cookieHeader(), ...(how === 'header' ? { 'x-csrf-token': this.csrf } : {}) },
      redirect: 'manual',
    });
    this.store(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /** A form with repeated fields (checkbox lists), CSRF token included. */
  async postParams(path: string, params: URLSearchParams) {
    if (!params.has('_csrf')) params.set('_csrf', this.csrf);
    const res = await fetch(this.base + path, { method: 'POST', body: params, headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    this.store(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /** A multipart form (file uploads), the CSRF token as its first field. */
  async postMultipart(path: string, fields: Record<string, string>, files: { field: string; name: string; type: string; content: Buffer }[] = []) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.content)], { type: f.type }), f.name);
    return this.postFormData(path, form);
  }

  async login(email: string, password: string) {
    await this.get('/login');
    const r = await this.post('/login', { email, password });
    if (r.status !== 303) throw new Error(`login failed: ${r.status}`);
    await this.get('/tickets');
    return r;
  }
}

export const TEST_PASSWORD = 'correct horse battery';

export async function addUser(services: Services, role: Role, email = `${role}@desk.test`, name = `${role} user`) {
  return createUser(services.ctx, { email, name, role, password: TEST_PASSWORD });
}
