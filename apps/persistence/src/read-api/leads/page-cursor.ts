/** Where a page of leads ends: the (lead_timestamp, lead_id) of its last lead, opaque to clients. */
export interface PageCursor {
  leadTimestamp: Date;
  leadId: string;
}

export function encodeCursor({ leadTimestamp, leadId }: PageCursor): string {
  return Buffer.from(JSON.stringify([leadTimestamp.toISOString(), leadId]), 'utf8').toString('base64url');
}

/** The cursor, or undefined when the text is not one this API issued. */
export function decodeCursor(text: string): PageCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [time, leadId] = value as unknown[];
    if (typeof time !== 'string' || typeof leadId !== 'string') return undefined;
    const leadTimestamp = new Date(time);
    return Number.isNaN(leadTimestamp.getTime()) ? undefined : { leadTimestamp, leadId };
  } catch {
    return undefined;
  }
}
