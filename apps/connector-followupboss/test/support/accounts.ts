import { FollowupbossConfig } from '../../src/followupboss.config';
import {
  loadFollowupbossAccounts,
  type FollowupbossAccounts,
} from '../../src/accounts/followupboss-accounts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An accounts file with these contents, in a fresh temporary folder. */
export function writeAccountsFile(contents: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fub-accounts-')), 'accounts.json');
  writeFileSync(file, JSON.stringify(contents));
  return file;
}

/** The connector's settings as the env would give them, then its accounts. */
export function accountsOf(settings: Partial<FollowupbossConfig>): FollowupbossAccounts {
  return loadFollowupbossAccounts(Object.assign(new FollowupbossConfig(), settings));
}
