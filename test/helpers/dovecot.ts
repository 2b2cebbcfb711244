// A private Dovecot IMAP server for one test file: its own temp dir, config, free port and users.
// Mail is appended through IMAP (imapflow); the server can be stopped and started again on the same
// port, and a mailbox's UIDVALIDITY can be changed, to test what a real mail server does to a poller.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, openSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { waitUntil } from './mail.ts';

export type DovecotUser = { user: string; password: string; address: string };

export type Dovecot = {
  host: string;
  port: number;
  dir: string;
  /**
   * a new mail user with an empty, private maildir (live at once). A failed login makes Dovecot
   * delay the next ones from the same address for seconds: test wrong passwords on a Dovecot of
   * their own.
   */
  addUser(name?: string): DovecotUser;
  /** a connected imapflow client for the user (the caller logs out) */
  connect(u: DovecotUser): Promise<ImapFlow>;
  /** appends one raw mail; returns its UID */
  append(u: DovecotUser, raw: Buffer | string, opts?: { folder?: string; flags?: string[]; internalDate?: Date }): Promise<number>;
  /** appends many mails over one connection */
  appendMany(u: DovecotUser, raws: (Buffer | string)[], opts?: { folder?: string }): Promise<number[]>;
  createFolder(u: DovecotUser, folder: string): Promise<void>;
  status(u: DovecotUser, folder?: string): Promise<{ messages: number; uidValidity: bigint; uidNext: number }>;
  /** UIDs and flags of the messages in a folder */
  list(u: DovecotUser, folder?: string): Promise<{ uid: number; flags: string[] }[]>;
  /** a crash (every process killed at once), or with graceful: a clean shutdown (SIGTERM to the master) */
  stop(opts?: { graceful?: boolean }): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
  /** gives the folder a new UIDVALIDITY (the server is restarted); returns the new value */
  changeUidValidity(u: DovecotUser, folder?: string): Promise<bigint>;
  close(): Promise<void>;
};

let counter = 0;
const PASSWORD = 'dovecot-test-password';

function ensureMailUser(): void {
  if (spawnSync('getent', ['passwd', 'vmail'], { stdio: 'ignore' }).status === 0) return;
  const r = spawnSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'vmail'], { encoding: 'utf8' });
  // 9: another test file created it at the same moment
  if (r.status !== 0 && r.status !== 9 && spawnSync('getent', ['passwd', 'vmail'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`could not create the vmail user: ${r.stderr}`);
  }
}

function idOf(name: string): { uid: number; gid: number } {
  const line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
  return { uid: Number(line[2]), gid: Number(line[3]) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

function pidAlive(pid: number): boolean {
  try {
    // a killed daemon may linger as a zombie until something reaps it: that is not alive
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every process of one Dovecot instance: the master and the children named after the instance. */
function instancePids(instance: string, master: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (pid === master || cmd.startsWith(`dovecot-${instance}/`) || cmd.startsWith(`${instance}/`)) out.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function config(dir: string, port: number): string {
  return `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = helpdesk-test-${path.basename(dir)}
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
protocol imap {
  mail_max_userip_connections = 200
}
mail_location = maildir:${dir}/mail/%d/%n/Maildir
mail_uid = vmail
mail_gid = vmail
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
# every user name logs in with the one test password: a new name is a new, empty mailbox at once
# (a passwd-file is re-read at most once a second, so users added to it are not always live)
passdb {
  driver = static
  args = password=${PASSWORD}
}
userdb {
  driver = static
  args = uid=vmail gid=vmail home=${dir}/mail/%d/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Processed {
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0660
  }
}
`;
}

export async function startDovecot(): Promise<Dovecot> {
  if (!existsSync('/usr/sbin/dovecot')) {
    throw new Error('Dovecot is not installed: apt-get install -y --no-install-recommends dovecot-core dovecot-imapd');
  }
  ensureMailUser();
  const vmail = idOf('vmail');
  const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-'));
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) mkdirSync(path.join(dir, sub), { recursive: true });
  chownSync(path.join(dir, 'mail'), vmail.uid, vmail.gid);
  const conf = path.join(dir, 'dovecot.conf');
  let port = 0;
  const host = '127.0.0.1';
  const pidFile = path.join(dir, 'run', 'master.pid');
  const masterPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0);

  const start = async () => {
    for (let attempt = 0; ; attempt++) {
      if (!port) port = await freePort();
      writeFileSync(conf, config(dir, port));
      // the daemon inherits stdio: give it a file, not a pipe, or spawnSync waits for it to exit
      const errFile = path.join(dir, 'start.err');
      const fd = openSync(errFile, 'w');
      const r = spawnSync('/usr/sbin/dovecot', ['-c', conf], { stdio: ['ignore', fd, fd] });
      closeSync(fd);
      if (r.status === 0) {
        try {
          await waitUntil(`Dovecot on port ${port}`, () => portOpen(port), 15_000);
          return;
        } catch (err) {
          if (attempt >= 2) throw err;
        }
      } else if (attempt >= 2) {
        const log = existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : '';
        throw new Error(`dovecot did not start: ${readFileSync(errFile, 'utf8')}\n${log.slice(-2000)}`);
      }
      // the port was taken in between (another test): stop what may have started and pick another
      const pid = masterPid();
      if (pid && pidAlive(pid)) process.kill(pid, 'SIGKILL');
      port = 0;
    }
  };

  const instance = `helpdesk-test-${path.basename(dir)}`;
  // A hard stop, like a crash or a power cut: every process of the instance is killed at once and
  // clients see their connections drop (a graceful SIGTERM takes ~3 s here).
  const stop = async (opts: { graceful?: boolean } = {}) => {
    const master = masterPid();
    if (opts.graceful && master && pidAlive(master)) {
      // Dovecot's own shutdown: the master tells its children to finish and closes the listeners
      process.kill(master, 'SIGTERM');
      await waitUntil('Dovecot to shut down', () => instancePids(instance, master).every((pid) => !pidAlive(pid)), 20_000).catch(() => undefined);
    }
    for (const pid of instancePids(instance, master)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(pidFile, { force: true });
    if (port) await waitUntil('the IMAP port to close', async () => !(await portOpen(port)), 10_000);
  };

  await start();

  const maildirOf = (u: DovecotUser, folder = 'INBOX') => {
    const [local, domain] = u.user.split('@');
    const root = path.join(dir, 'mail', domain, local, 'Maildir');
    return folder === 'INBOX' ? root : path.join(root, `.${folder.replace(/\//g, '.')}`);
  };

  const connect = async (u: DovecotUser) => {
    const client = new ImapFlow({ host, port, secure: false, auth: { user: u.user, pass: u.password }, logger: false, disableAutoIdle: true });
    await client.connect();
    return client;
  };

  const withClient = async <T>(u: DovecotUser, fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = await connect(u);
    try {
      return await fn(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };

  const d: Dovecot = {
    host,
    get port() {
      return port;
    },
    dir,
    addUser(name) {
      const user = `${name ?? `u${process.pid}-${++counter}`}@mail.test`;
      const password = PASSWORD;
      return { user, password, address: user };
    },
    connect,
    append: (u, raw, opts = {}) =>
      withClient(u, async (c) => {
        const r = await c.append(opts.folder ?? 'INBOX', typeof raw === 'string' ? Buffer.from(raw) : raw, opts.flags ?? [], opts.internalDate);
        if (!r || !r.uid) throw new Error('APPEND returned no UID');
        return r.uid;
      }),
    appendMany: (u, raws, opts = {}) =>
      withClient(u, async (c) => {
        const uids: number[] = [];
        for (const raw of raws) {
          const r = await c.append(opts.folder ?? 'INBOX', typeof raw === 'string' ? Buffer.from(raw) : raw, []);
          if (!r || !r.uid) throw new Error('APPEND returned no UID');
          uids.push(r.uid);
        }
        return uids;
      }),
    createFolder: (u, folder) =>
      withClient(u, async (c) => {
        await c.mailboxCreate(folder);
      }),
    status: (u, folder = 'INBOX') =>
      withClient(u, async (c) => {
        const s = await c.status(folder, { messages: true, uidValidity: true, uidNext: true });
        if (!s) throw new Error(`no status for ${folder}`);
        return { messages: s.messages ?? 0, uidValidity: BigInt(s.uidValidity ?? 0), uidNext: s.uidNext ?? 0 };
      }),
    list: (u, folder = 'INBOX') =>
      withClient(u, async (c) => {
        const lock = await c.getMailboxLock(folder);
        try {
          const out: { uid: number; flags: string[] }[] = [];
          if ((c.mailbox && typeof c.mailbox === 'object' ? c.mailbox.exists : 0) === 0) return out;
          for await (const m of c.fetch('1:*', { uid: true, flags: true })) out.push({ uid: m.uid, flags: [...(m.flags ?? [])] });
          return out;
        } finally {
          lock.release();
        }
      }),
    stop,
    start,
    running: () => {
      const pid = masterPid();
      return !!pid && pidAlive(pid);
    },
    async changeUidValidity(u, folder = 'INBOX') {
      const before = (await d.status(u, folder)).uidValidity;
      await stop();
      const box = maildirOf(u, folder);
      // Dovecot keeps UIDVALIDITY in dovecot-uidlist ("3 V<uidvalidity> N<next> G<guid>") and in its
      // index; rewrite the first and drop the second, as a restored backup or a server move would.
      const listFile = path.join(box, 'dovecot-uidlist');
      const lines = readFileSync(listFile, 'utf8').split('\n');
      const next = before + 1000n;
      lines[0] = lines[0].replace(/\bV\d+/, `V${next}`);
      writeFileSync(listFile, lines.join('\n'));
      for (const f of readdirSync(box)) if (f.startsWith('dovecot.index')) rmSync(path.join(box, f), { force: true });
      const root = maildirOf(u, 'INBOX');
      for (const f of readdirSync(root)) if (f.startsWith('dovecot.list.index')) rmSync(path.join(root, f), { force: true });
      await start();
      const after = (await d.status(u, folder)).uidValidity;
      if (after === before) throw new Error('UIDVALIDITY did not change');
      return after;
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return d;
}
