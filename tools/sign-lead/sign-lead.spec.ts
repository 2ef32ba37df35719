import { verifyLeadSignature } from '@lead-delivery/contracts';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'sign-lead-'));
const lead = { lead_id: 'cli-1', contact: { email: 'jane@example.com' }, timestamp: '2026-11-27T10:15:00Z' };
writeFileSync(join(dir, 'lead.json'), JSON.stringify(lead));

function sign(algorithm: string, keyFile: string): Record<string, unknown> {
  const output = execFileSync(
    join(root, 'node_modules/.bin/tsx'),
    ['tools/sign-lead/sign-lead.ts', '--algorithm', algorithm, '--key', keyFile, join(dir, 'lead.json')],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return JSON.parse(output) as Record<string, unknown>;
}

describe('sign-lead CLI', () => {
  jest.setTimeout(60_000);

  it('signs with a shared secret (HMAC-SHA256)', () => {
    writeFileSync(join(dir, 'secret.txt'), 'shared-secret\n');
    const signed = sign('hmac-sha256', join(dir, 'secret.txt'));
    expect(
      verifyLeadSignature(signed, signed['digital_signature'] as string, 'hmac-sha256', ['shared-secret']),
    ).toBe(true);
  });

  it('signs with an Ed25519 private key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'ed25519.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const signed = sign('ed25519', join(dir, 'ed25519.pem'));
    expect(verifyLeadSignature(signed, signed['digital_signature'] as string, 'ed25519', [publicKey])).toBe(
      true,
    );
  });

  it('refuses unknown algorithms with a usage line', () => {
    expect(() => sign('md5', join(dir, 'secret.txt'))).toThrow(/usage: sign-lead/);
  });
});
