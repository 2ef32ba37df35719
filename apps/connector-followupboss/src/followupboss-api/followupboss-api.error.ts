/** A Follow Up Boss answer other than success (never a token or a payload in the message). */
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
