// Screenshots of the console for the README: starts a desk on a fresh SQLite file, fills it with
// the demo (`helpdesk demo`), signs in as the admin in headless Chromium and saves PNGs under
// docs/images/. Run: npx tsx scripts/screenshots.ts
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'docs/images');
const PORT = 3917;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'admin@desk.example', password: 'admin-password' };
const MANAGER = { email: 'olga@desk.example', password: 'demo-password' };
// the admin's queue starts with the Getting started checklist; a manager's shows the tickets
const SHOTS: [file: string, url: string][] = [
  ['getting-started.png', '/tickets'],
  ['add-mailbox.png', '/admin/mailboxes/new'],
  ['components.png', '/components'],
  ['outgoing-mail-and-sms.png', '/admin/delivery'],
];

const dir = mkdtempSync(path.join(tmpdir(), 'desk-shots-'));
const env = {
  ...process.env,
  NODE_ENV: 'production',
  PORT: String(PORT),
  HOST: '127.0.0.1',
  PUBLIC_URL: BASE,
  DATA_DIR: dir,
  DATABASE_URL: `file:${dir}/helpdesk.sqlite`,
  SESSION_SECRET: 'screenshots-secret-screenshots-secret',
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  LOG_LEVEL: 'warn',
};
const tsx = path.join(ROOT, 'node_modules/.bin/tsx');

async function waitUp(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the desk did not start');
}

let desk: ChildProcess | undefined;
try {
  desk = spawn(tsx, ['src/main.ts'], { cwd: ROOT, env, stdio: 'inherit' });
  await waitUp();
  execFileSync(tsx, ['src/cli.ts', 'demo'], { cwd: ROOT, env, stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const signIn = async (who: { email: string; password: string }) => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 680 } });
    await page.goto(`${BASE}/login`);
    await page.fill('input[name=email]', who.email);
    await page.fill('input[name=password]', who.password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/tickets$/);
    return page;
  };
  const shoot = async (page: Awaited<ReturnType<typeof signIn>>, file: string, url: string) => {
    await page.goto(`${BASE}${url}`);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(OUT, file) });
    console.log(`docs/images/${file} ← ${url}`);
  };
  const manager = await signIn(MANAGER);
  await shoot(manager, 'queue.png', '/tickets?view=open');
  const first = await manager.locator('a[href^="/tickets/"]:not([href="/tickets/new"])').first().getAttribute('href');
  if (first) await shoot(manager, 'ticket.png', first);
  const admin = await signIn(ADMIN);
  for (const [file, url] of SHOTS) await shoot(admin, file, url);
  await browser.close();
} finally {
  desk?.kill();
  rmSync(dir, { recursive: true, force: true });
}
