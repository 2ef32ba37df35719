/** A Follow Up Boss answer other than success (never a key or a payload in the message). */
export class FollowupbossApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The `Retry-After` header, if any. */
    readonly retryAfter: string | null,
  ) {
    super(message);
    this.name = 'FollowupbossApiError';
  }
}

/** Follow Up Boss refused the request outright (nothing was written): a 4xx, or 503 before serving it. */
export const wasRefused = (error: unknown): boolean =>
  error instanceof FollowupbossApiError &&
  ((error.status >= 400 && error.status < 500) || error.status === 503);
