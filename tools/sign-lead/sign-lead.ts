// `npm run sign-lead -- --algorithm <hmac-sha256|ed25519|rsa-sha256> --key <file> [lead.json]`
// Prints the lead (read from the file, or stdin) with its `digital_signature` set, as the gateway
// verifies it: over the RFC 8785 canonical JSON of the body without `digital_signature`.
// --key is the shared secret (HMAC) or a PEM private key (Ed25519, RSA).
import { SIGNATURE_ALGORITHMS, signLead, type SignatureAlgorithm } from '@lead-delivery/contracts';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

function main(): void {
  const { values, positionals } = parseArgs({
    options: { algorithm: { type: 'string' }, key: { type: 'string' } },
    allowPositionals: true,
  });
  const algorithm = values.algorithm as SignatureAlgorithm;
  if (!SIGNATURE_ALGORITHMS.includes(algorithm) || !values.key) {
    throw new Error(
      `usage: sign-lead --algorithm <${SIGNATURE_ALGORITHMS.join('|')}> --key <file> [lead.json]`,
    );
  }
  const keyText = readFileSync(values.key, 'utf8');
  const key = algorithm === 'hmac-sha256' ? keyText.trim() : createPrivateKey(keyText);
  const lead = JSON.parse(readFileSync(positionals[0] ?? 0, 'utf8')) as Record<string, unknown>;
  process.stdout.write(
    `${JSON.stringify({ ...lead, digital_signature: signLead(lead, algorithm, key) }, null, 2)}\n`,
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
