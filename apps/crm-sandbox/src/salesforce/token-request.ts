import type { SandboxRequest } from '../common/sandbox-request';

/** The form fields of a token request; the endpoint reads `application/x-www-form-urlencoded` only. */
export function tokenForm(req: SandboxRequest): Record<string, string> {
  const body = req.body;
  const form = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
  if (!form || typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Client credentials from the form, else from HTTP Basic authentication. */
export function clientCredentialsOf(req: SandboxRequest): { clientId?: string; clientSecret?: string } {
  const form = tokenForm(req);
  if (form['client_id']) return { clientId: form['client_id'], clientSecret: form['client_secret'] };
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!basic) return {};
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? {} : { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/** The client a token request is for: its client_id, or the `iss` of a JWT-bearer assertion. */
export function clientIdOf(req: SandboxRequest): string | undefined {
  const { clientId } = clientCredentialsOf(req);
  if (clientId) return clientId;
  const claims = tokenForm(req)['assertion']?.split('.')[1];
  if (!claims) return undefined;
  try {
    const iss = (JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}
