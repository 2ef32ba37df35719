const DAY_MS = 24 * 60 * 60 * 1000;

/** The subject (or first line) of every seeded activity. */
export const SEEDED_SUBJECT = 'Realtor.com inquiry (earlier history)';

/** What `POST /sandbox/seed/<crm>` wrote. */
export interface SeedResult {
  people: number;
  activities: number;
}

/**
 * The marker line the platform ends every activity with (libs/connector-kit/src/mapping/lead-marker.ts,
 * which the sandbox may not import): seeded activities must look like the connectors' own.
 */
export const leadMarkerLine = (accountId: string, leadId: string) =>
  `Realtor.com lead id: ${leadId} (account ${accountId})`;

/** Inquiry `index` of `count` is dated `count − index` days before `now`: oldest first, all in the past. */
export const inquiryTime = (now: number, index: number, count: number) => now - (count - index) * DAY_MS;
