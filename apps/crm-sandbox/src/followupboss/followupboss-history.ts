import { inquiryTime, leadMarkerLine, SEEDED_SUBJECT, type SeedResult } from '../seed/seeded-history';
import type { SeedHistoryDto } from '../seed/seed-history.dto';
import type { FollowupbossStore, FubAccount } from './followupboss-store.service';

/** The lead source of seeded events (an account that archived it gets none of them). */
const SEEDED_SOURCE = 'Realtor.com';

/**
 * Seeds an account as POST /v1/events would: per person (merged by email with an existing one) one
 * `General Inquiry` event per earlier lead, whose description ends with the lead's marker line. Events of
 * a source the account archived are not stored and not counted.
 */
export function seedFollowupbossHistory(
  store: FollowupbossStore,
  account: FubAccount,
  { accountId, people }: SeedHistoryDto,
  now: number,
): SeedResult {
  let activities = 0;
  for (const person of people) {
    person.leadIds.forEach((leadId, index) => {
      const at = new Date(inquiryTime(now, index, person.leadIds.length));
      const answer = store.addEvent(
        account,
        {
          type: 'General Inquiry',
          source: SEEDED_SOURCE,
          description: `${SEEDED_SUBJECT}\n${leadMarkerLine(accountId, leadId)}`,
          person: {
            ...(person.firstName ? { firstName: person.firstName } : {}),
            ...(person.lastName ? { lastName: person.lastName } : {}),
            emails: [{ value: person.email.toLowerCase() }],
          },
        },
        undefined,
        at,
      );
      if (answer.status !== 204) activities += 1;
    });
  }
  return { people: people.length, activities };
}
