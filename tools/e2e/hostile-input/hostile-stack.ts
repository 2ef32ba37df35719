// The platform for the hostile-input suite: the e2e pipeline with accounts of its own (a plain one,
// one requiring HMAC signatures, one requiring Ed25519 signatures, all unthrottled and routed nowhere,
// so that thousands of accepted fuzz leads do not queue at the CRMs), the Austin account for the
// sentinel leads, and a short connector retry budget so that failing records reach a final outcome fast.
import { signLead, type SignatureAlgorithm } from '@lead-delivery/contracts';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startPipeline, type Pipeline } from '../pipeline';
import { FUZZ_ACCOUNT } from './kafka-record.arbitrary';
import type { RawBody } from './json-text.arbitrary';

export interface HostileAccount {
  id: string;
  apiKey: string;
  signature?: { algorithm: SignatureAlgorithm; key: string | KeyObject };
}

export const ACCOUNTS = {
  plain: { id: FUZZ_ACCOUNT, apiKey: 'hostile-plain-key' },
  hmac: {
    id: 'acct-hostile-hmac',
    apiKey: 'hostile-hmac-key',
    signature: { algorithm: 'hmac-sha256', key: 'hostile-hmac-secret' },
  },
  ed25519: { id: 'acct-hostile-ed25519', apiKey: 'hostile-ed25519-key' },
  /** Routed to HubSpot always (config/local/routing.json): the sentinel leads' account. */
  sentinel: { id: 'acct-austin-brokerage', apiKey: 'hostile-sentinel-key' },
} satisfies Record<string, HostileAccount>;

const UNTHROTTLED = { requests_per_second: 100_000, burst: 100_000 };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function writeConfig(directory: string, ed25519Public: KeyObject): { accounts: string; routing: string } {
  const account = ({ id, apiKey }: HostileAccount, signature?: object) => ({
    id,
    enabled: true,
    api_key_sha256: [sha256(apiKey)],
    rate_limit: UNTHROTTLED,
    ...(signature ? { signature } : {}),
  });
  const accounts = join(directory, 'accounts.json');
  writeFileSync(
    accounts,
    JSON.stringify({
      accounts: [
        account(ACCOUNTS.plain),
        account(ACCOUNTS.hmac, {
          mode: 'required',
          algorithm: 'hmac-sha256',
          secrets: [ACCOUNTS.hmac.signature.key],
        }),
        account(ACCOUNTS.ed25519, {
          mode: 'required',
          algorithm: 'ed25519',
          public_keys: [ed25519Public.export({ type: 'spki', format: 'pem' })],
        }),
        account(ACCOUNTS.sentinel),
      ],
    }),
  );
  const local = JSON.parse(readFileSync(join(ROOT, 'config', 'local', 'routing.json'), 'utf8')) as {
    accounts: Record<string, unknown>;
  };
  const nowhere = { always: [], rules: [] };
  const routing = join(directory, 'routing.json');
  writeFileSync(
    routing,
    JSON.stringify({
      ...local,
      accounts: {
        ...local.accounts,
        [ACCOUNTS.plain.id]: nowhere,
        [ACCOUNTS.hmac.id]: nowhere,
        [ACCOUNTS.ed25519.id]: nowhere,
      },
    }),
  );
  return { accounts, routing };
}

export interface HostileStack {
  pipeline: Pipeline;
  accounts: {
    plain: HostileAccount;
    hmac: HostileAccount;
    ed25519: HostileAccount;
    sentinel: HostileAccount;
  };
}

export async function startHostileStack(): Promise<HostileStack> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { accounts, routing } = writeConfig(mkdtempSync(join(tmpdir(), 'hostile-input-')), publicKey);
  const retryBudget = {
    CONNECTOR_MAX_ATTEMPTS: '3',
    CONNECTOR_INLINE_RETRIES: '1',
    CONNECTOR_PARK_DELAY_INITIAL_MS: '500',
    CONNECTOR_PARK_DELAY_MAX_MS: '1000',
  };
  const pipeline = await startPipeline('hostile-input', 24_000, {
    gateway: { ACCOUNTS_FILE: accounts },
    enrichment: { ROUTING_RULES_FILE: routing },
    'connector-salesforce': retryBudget,
    'connector-hubspot': retryBudget,
  });
  return {
    pipeline,
    accounts: {
      ...ACCOUNTS,
      ed25519: { ...ACCOUNTS.ed25519, signature: { algorithm: 'ed25519', key: privateKey } },
    },
  };
}

/** How a body is signed: correctly (the gateway then validates it), with a wrong signature, or not. */
export type Signing = 'valid' | 'forged' | 'none';

/**
 * `body` with a `digital_signature` member first in its object, when it is a JSON object the gateway
 * would parse (then a repeated `digital_signature` later in the body wins, as in JSON.parse). A body
 * that cannot be signed (not canonicalisable, e.g. holding 1e400) gets a forged signature.
 */
export function signedBody(body: RawBody, account: HostileAccount, signing: Signing): RawBody {
  if (!account.signature || signing === 'none') return body;
  const text = Buffer.from(body).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return body;
  }
  const opening = /^\s*\{/.exec(text);
  if (!opening || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body;
  let signature = Buffer.from('forged signature').toString('base64');
  if (signing === 'valid') {
    try {
      signature = signLead(
        parsed as Record<string, unknown>,
        account.signature.algorithm,
        account.signature.key,
      );
    } catch {
      // not signable: sent with the forged one
    }
  }
  const rest = text.slice(opening[0].length);
  const separator = /^\s*\}/.test(rest) ? '' : ',';
  return `${opening[0]}"digital_signature":${JSON.stringify(signature)}${separator}${rest}`;
}

export interface GatewayAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** POSTs a raw body to /lead-delivery; a transport failure (reset, refused) rejects. */
export async function postRaw(
  gatewayUrl: string,
  body: RawBody,
  { apiKey, contentType = 'application/json' }: { apiKey: string; contentType?: string },
): Promise<GatewayAnswer> {
  const response = await fetch(`${gatewayUrl}/lead-delivery`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-api-key': apiKey },
    body: typeof body === 'string' ? body : new Uint8Array(body),
    signal: AbortSignal.timeout(30_000),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** Why `answer` is not an RFC 9457 problem (application/problem+json with type, title and its status), if it is not. */
export function problemDefect(answer: GatewayAnswer): string | undefined {
  if (!answer.contentType.startsWith('application/problem+json'))
    return `content-type is ${JSON.stringify(answer.contentType)}, not application/problem+json`;
  let problem: unknown;
  try {
    problem = JSON.parse(answer.body);
  } catch {
    return 'the body is not JSON';
  }
  if (typeof problem !== 'object' || problem === null) return 'the body is not a JSON object';
  const { type, title, status, detail } = problem as Record<string, unknown>;
  if (typeof type !== 'string' || typeof title !== 'string') return 'type or title is not a string';
  if (status !== answer.status)
    return `status ${String(status)} differs from the HTTP status ${answer.status}`;
  if (detail !== undefined && typeof detail !== 'string') return 'detail is not a string';
  return undefined;
}
