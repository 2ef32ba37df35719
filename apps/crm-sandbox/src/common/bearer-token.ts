import type { SandboxRequest } from './sandbox-request';

export function bearerToken(req: SandboxRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}
