// A private nginx for the tests: a site file (the one in deploy/nginx/, ports and paths changed)
// inside a minimal main configuration, run in the foreground with every file it writes (pid, logs,
// request bodies) in a temp folder, stopped and removed at the end.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** nginx's binary: on the PATH, or in /usr/sbin (not on a normal user's PATH on Debian). */
export function nginxBin(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined;
}

export type Nginx = {
  /** the folder holding the configuration, pid, logs and temp files */
  dir: string;
  /** lines of the error log (nginx's own complaints) */
  errors(): string;
  stop(): Promise<void>;
};

/**
 * Starts nginx with `site` (a file of `http` block directives) and waits until `port` takes
 * connections. `site` may name files under `dir` (made before it is written).
 */
export async function startNginx(opts: { site: (dir: string) => string; port: number }): Promise<Nginx> {
  const bin = nginxBin();
  if (!bin) throw new Error('nginx is not installed: apt-get install -y --no-install-recommends nginx');
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-nginx-'));
  // run as root, nginx's workers are `nobody`: they must reach the temp folders under dir
  chmodSync(dir, 0o755);
  const tmp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  writeFileSync(path.join(dir, 'site.conf'), opts.site(dir));
  writeFileSync(path.join(dir, 'nginx.conf'), [
    'daemon off;',
    'worker_processes 2;',
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'error.log')} notice;`,
    'events { worker_connections 256; }',
    'http {',
    `  ${tmp('client_body')} ${tmp('proxy')} ${tmp('fastcgi')} ${tmp('uwsgi')} ${tmp('scgi')}`,
    `  include ${path.join(dir, 'site.conf')};`,
    '}',
    '',
  ].join('\n'));
  const child = spawn(bin, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));
  const errors = () => {
    try {
      return readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (alive) child.kill('SIGQUIT'); // graceful: finish what is in flight
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await accepts(opts.port))) {
    if (!alive || Date.now() > deadline) {
      const why = `nginx did not start:\n${output}\n${errors()}`;
      await stop();
      throw new Error(why);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { dir, errors, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
