import { HttpException } from '@nestjs/common';

/** RFC 9457 problem details; `errors` lists field problems with JSON pointers into the request body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ pointer: string; detail: string }>;
}

const problemType = (slug: string) => `urn:lead-delivery:problem:${slug}`;

/** An error answered as `application/problem+json`, with optional response headers (e.g. Retry-After). */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem, problem.status);
  }
}

function problem(
  status: number,
  slug: string,
  title: string,
  detail: string,
  extra: Partial<ProblemDetails> = {},
) {
  return { type: problemType(slug), title, status, detail, ...extra };
}

export const Problems = {
  missingApiKey: () =>
    new ProblemException(
      problem(
        401,
        'missing-api-key',
        'Missing API key',
        'Send the API key of the account in the X-API-Key header.',
      ),
    ),
  unknownApiKey: () =>
    new ProblemException(
      problem(401, 'unknown-api-key', 'Unknown API key', 'The X-API-Key does not belong to any account.'),
    ),
  accountDisabled: () =>
    new ProblemException(
      problem(403, 'account-disabled', 'Account disabled', 'The account of this API key is disabled.'),
    ),
  rateLimited: (retryAfterSeconds: number) =>
    new ProblemException(
      problem(
        429,
        'rate-limited',
        'Too many requests',
        `The account's rate limit is exceeded; retry after ${retryAfterSeconds} s.`,
      ),
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  unsupportedMediaType: (contentType: string | undefined) =>
    new ProblemException(
      problem(
        415,
        'unsupported-media-type',
        'Unsupported media type',
        `Content-Type must be application/json, got ${contentType ? JSON.stringify(contentType) : 'none'}.`,
      ),
    ),
  payloadTooLarge: (limitBytes: number) =>
    new ProblemException(
      problem(413, 'payload-too-large', 'Payload too large', `The body must not exceed ${limitBytes} bytes.`),
      { Connection: 'close' },
    ),
  malformedJson: (reason: string) =>
    new ProblemException(
      problem(400, 'malformed-json', 'Malformed JSON', `The body is not valid JSON: ${reason}`),
    ),
  jsonTooDeep: (pointer: string, maxDepth: number) =>
    new ProblemException(
      problem(
        422,
        'json-too-deep',
        'JSON nested too deeply',
        `The body must not nest objects and arrays more than ${maxDepth} levels deep.`,
        { errors: [{ pointer, detail: `opens level ${maxDepth + 1}` }] },
      ),
    ),
  recordTooLarge: (recordBytes: number, limitBytes: number, largest: { pointer: string; bytes: number }) =>
    new ProblemException(
      problem(
        413,
        'record-too-large',
        'Lead too large to store',
        `The lead as stored (with its warnings and the raw body) takes ${recordBytes} bytes; at most ${limitBytes} are accepted.`,
        { errors: [{ pointer: largest.pointer, detail: `is the largest field (${largest.bytes} bytes)` }] },
      ),
    ),
  uncanonicalizableBody: (pointer: string, reason: string) =>
    new ProblemException(
      problem(
        422,
        'uncanonicalizable-body',
        'Body cannot be canonicalised',
        'digital_signature is checked over the RFC 8785 canonical JSON of the body, which this body does not have.',
        { errors: [{ pointer, detail: reason }] },
      ),
    ),
  invalidLead: (errors: Array<{ pointer: string; detail: string }>) =>
    new ProblemException(
      problem(
        422,
        'invalid-lead',
        'Invalid lead',
        `${errors.length} field(s) do not satisfy the lead schema.`,
        { errors },
      ),
    ),
  missingSignature: () =>
    new ProblemException(
      problem(
        401,
        'missing-signature',
        'Missing signature',
        'This account requires a digital_signature on every lead.',
        {
          errors: [{ pointer: '/digital_signature', detail: 'is required' }],
        },
      ),
    ),
  badSignature: () =>
    new ProblemException(
      problem(
        401,
        'bad-signature',
        'Invalid signature',
        'digital_signature does not verify against the body and the account keys.',
        {
          errors: [{ pointer: '/digital_signature', detail: 'does not verify' }],
        },
      ),
    ),
  unavailable: (retryAfterSeconds: number) =>
    new ProblemException(
      problem(
        503,
        'unavailable',
        'Temporarily unavailable',
        'The lead could not be stored durably; nothing was kept. Retry later.',
      ),
      { 'Retry-After': String(retryAfterSeconds) },
    ),
};
