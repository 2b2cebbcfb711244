// Attachments and raw mail on PostgreSQL are in the database: a mail taken in by one desk process
// (the `helpdesk import` command, a process of its own with its own DATA_DIR) is downloaded through
// the console of another process, on another DATA_DIR, as if on another machine.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAttachmentsForMessages, listTicketMessages } from '../../../src/store/messages.ts';
import { deskDeps } from '../../helpers/desk-deps.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD } from '../../helpers/web.ts';

const root = path.resolve(import.meta.dirname, '../../..');
let cluster: PostgresCluster;
const dirs: string[] = [];
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => {
  cluster?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'helpdesk-shared-files-'));
  dirs.push(d);
  return d;
}

const env = (url: string, dir: string) => ({ NODE_ENV: 'test', DATABASE_URL: url, DATA_DIR: dir, SESSION_SECRET: 's'.repeat(40), LOG_LEVEL: 'warn' });

function compose(mail: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new Promise((resolve, reject) => new MailComposer(mail).compile().build((err, msg) => (err ? reject(err) : resolve(msg))));
}

function cookieOf(b: Browser): string {
  return (b as unknown as { cookieHeader(): string }).cookieHeader();
}

/** Files kept under dir/raw and dir/files. */
const keptOnDisk = (dir: string) => ['raw', 'files'].flatMap((k) => (existsSync(path.join(dir, k)) ? readdirSync(path.join(dir, k), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')) : []));

describe('files shared by the desk processes on PostgreSQL', () => {
  it('serves an attachment and the raw mail taken in by another process with another DATA_DIR', { timeout: 90_000 }, async () => {
    const url = cluster.url(await cluster.createDatabase());
    const [dirA, dirB] = [dataDir(), dataDir()];
    // a report of 3 MiB (several chunks), and a small picture
    const report = randomBytes(3 * 1024 * 1024 + 5);
    const picture = randomBytes(2000);
    const raw = await compose({
      from: 'Anna <anna@client.example>', to: 'support@desk.example', subject: 'The report', messageId: '<shared-files-1@client.example>',
      text: 'The report is attached.',
      attachments: [
        { filename: 'report.pdf', content: report, contentType: 'application/pdf' },
        { filename: 'screen.png', content: picture, contentType: 'image/png' },
      ],
    });

    // process A: the MTA pipes the mail to `helpdesk import -`
    const b = await deskDeps(url, { dataDir: dirB }); // migrates the new database before A starts
    const imported = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src/cli.ts'), 'import', '-'], {
      cwd: dirA, env: { ...process.env, ...env(url, dirA) }, input: raw, encoding: 'utf8', timeout: 60_000,
    });
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/^created ticket id 1/);
    expect(keptOnDisk(dirA), 'nothing in the DATA_DIR of the process that took the mail in').toEqual([]);

    // process B: someone at the console downloads both attachments and the original mail
    const srv = await startTestServer(b);
    try {
      await addUser(srv.services, 'admin');
      const agent = new Browser(srv.url);
      await agent.login('admin@desk.test', TEST_PASSWORD);
      const [message] = await listTicketMessages(b.db, 1);
      const atts = await listAttachmentsForMessages(b.db, [message.id]);
      expect(atts.map((a) => a.filename).sort()).toEqual(['report.pdf', 'screen.png']);
      for (const a of atts) {
        const dl = await fetch(`${srv.url}/attachments/${a.id}`, { headers: { cookie: cookieOf(agent) } });
        expect(dl.status).toBe(200);
        expect(dl.headers.get('content-length')).toBe(String(a.size));
        expect(Buffer.from(await dl.arrayBuffer()).equals(a.filename === 'report.pdf' ? report : picture)).toBe(true);
      }
      const inboundId = Number(await b.db.value('select id from inbound_messages'));
      const original = await fetch(`${srv.url}/inbound/${inboundId}/raw`, { headers: { cookie: cookieOf(agent) } });
      expect(original.status).toBe(200);
      expect(Buffer.from(await original.arrayBuffer()).equals(raw)).toBe(true);
      expect(keptOnDisk(dirB)).toEqual([]);

      // and the other way round: a reply with an upload made through B is in the store A opens
      const upload = randomBytes(1500);
      const form = new FormData();
      form.append('body', 'Here is the corrected file.');
      form.append('attachments', new Blob([new Uint8Array(upload)], { type: 'application/octet-stream' }), 'fixed.bin');
      await agent.get('/tickets/1');
      const sent = await agent.postFormData('/tickets/1/replies', form);
      expect(sent.status).toBeLessThan(400);
      const reply = (await listTicketMessages(b.db, 1)).find((m) => m.kind === 'reply' && m.direction === 'out');
      const [fixed] = await listAttachmentsForMessages(b.db, [reply!.id]);
      const a = await deskDeps(url, { dataDir: dirA });
      try {
        expect((await a.files.read('files', fixed.sha256)).equals(upload)).toBe(true);
      } finally {
        await a.close();
      }
    } finally {
      await srv.close();
      await b.close();
    }
  });
});
