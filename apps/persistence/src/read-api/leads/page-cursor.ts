/**
 * Where a page of leads ends: the (lead_timestamp, lead_id, account_id) of its last lead, opaque to
 * clients. The account is part of it because one lead_id can be the lead of two accounts.
 */
export interface PageCursor {
  leadTimestamp: Date;
  leadId: string;
  accountId: string;
}

export function encodeCursor({ leadTimestamp, leadId, accountId }: PageCursor): string {
  return Buffer.from(JSON.stringify([leadTimestamp.toISOString(), leadId, accountId]), 'utf8').toString(
    'base64url',
  );
}

/** The cursor, or undefined when the text is not one this API issued. */
export function decodeCursor(text: string): PageCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [time, leadId, accountId] = value as unknown[];
    if (typeof time !== 'string' || typeof leadId !== 'string' || typeof accountId !== 'string') {
      return undefined;
    }
    const leadTimestamp = new Date(time);
    return Number.isNaN(leadTimestamp.getTime()) ? undefined : { leadTimestamp, leadId, accountId };
  } catch {
    return undefined;
  }
}
