#!/usr/bin/env node
// Makes sure the PostgreSQL that tests use accepts connections; on a Debian host whose cluster is
// stopped, starts it with pg_ctlcluster (what CI machines need). DATABASE_URL/TEST_ADMIN_DATABASE_URL
// point elsewhere when the server is not local.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const url = new URL(process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const ready = () =>
  spawnSync('pg_isready', ['-h', url.hostname, '-p', url.port || '5432', '-t', '5'], { stdio: 'ignore' })
    .status === 0;

if (ready()) process.exit(0);
const local = ['127.0.0.1', 'localhost', '::1'].includes(url.hostname);
let versions = [];
try {
  versions = readdirSync('/etc/postgresql');
} catch {
  // not a Debian-packaged PostgreSQL
}
if (!local || versions.length === 0) {
  console.error(`PostgreSQL at ${url.host} is not reachable; start it or set TEST_ADMIN_DATABASE_URL.`);
  process.exit(1);
}
for (const version of versions) {
  console.log(`starting PostgreSQL ${version} (pg_ctlcluster)`);
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
    stdio: 'inherit',
  });
}
for (let attempt = 0; attempt < 30 && !ready(); attempt++) execFileSync('sleep', ['1']);
process.exit(ready() ? 0 : 1);
