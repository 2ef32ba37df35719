const ENTRY = /^([a-z0-9][a-z0-9._-]{0,62})=(\d{1,4})$/;
export const MAX_RETENTION_DAYS = 3_650;

/** CONTACT_RETENTION_DAYS_BY_ACCOUNT: `account=days` pairs, comma-separated, e.g. `acct-a=30,acct-b=90`. */
export function parseRetentionByAccount(text: string): { days: Map<string, number>; problems: string[] } {
  const days = new Map<string, number>();
  const problems: string[] = [];
  for (const item of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = ENTRY.exec(item);
    const value = Number(match?.[2]);
    if (!match || value < 1 || value > MAX_RETENTION_DAYS) {
      problems.push(`"${item}" is not account=days with days from 1 to ${MAX_RETENTION_DAYS}`);
    } else if (days.has(match[1] as string)) {
      problems.push(`account "${match[1]}" is listed twice`);
    } else {
      days.set(match[1] as string, value);
    }
  }
  return { days, problems };
}
