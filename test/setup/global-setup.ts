// Provisions what the integration tests need on this machine: Dovecot (IMAP), Chromium,
// PostgreSQL (15 or newer; the tests start their own cluster in a temp folder) and nginx (the
// tests run their own, in the foreground, in a temp folder). When
// they are missing and we are root, they are installed with apt; otherwise the run stops with the
// exact command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { nginxBin } from '../helpers/nginx.ts';
import { postgresBinDir, startTemplateCluster } from '../helpers/postgres.ts';

function has(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

const PACKAGES: { present: () => boolean; pkgs: string[] }[] = [
  { present: () => has('dovecot'), pkgs: ['dovecot-core', 'dovecot-imapd'] },
  { present: () => has('chromium'), pkgs: ['chromium'] },
  { present: () => postgresBinDir() !== undefined, pkgs: ['postgresql'] },
  { present: () => nginxBin() !== undefined, pkgs: ['nginx'] },
];

export default async function setup(): Promise<(() => void) | undefined> {
  install();
  // one cluster for the whole run, with a migrated template every test desk of the postgres project
  // copies (not when only the sqlite project runs: `vitest run --project sqlite`)
  const onlySqlite = process.argv.some((a, i) => (a === '--project' && process.argv[i + 1] === 'sqlite') || a === '--project=sqlite');
  if (!onlySqlite && !process.env.TEST_POSTGRES_URL) {
    const { cluster, template } = await startTemplateCluster();
    process.env.TEST_POSTGRES_URL = cluster.url();
    process.env.TEST_POSTGRES_TEMPLATE = template;
    return () => cluster.stop();
  }
  return undefined;
}

function install(): void {
  const missing = PACKAGES.filter((p) => !p.present()).flatMap((p) => p.pkgs);
  if (missing.length === 0) return;
  const cmd = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`The tests need ${missing.join(', ')}. Install them with:\n  sudo sh -c '${cmd}'`);
  }
  console.log(`[setup] installing ${missing.join(' ')} …`);
  execFileSync('sh', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
