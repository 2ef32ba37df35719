import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { anEnrichedLead } from '../lead-factory';

/**
 * `anEnrichedLead`, routed to `destination` only (the factory's leads go to Salesforce and HubSpot): the
 * suite of one connector leaves nothing for another's running beside it.
 */
export const leadsTo =
  (destination: string) =>
  (...args: Parameters<typeof anEnrichedLead>): LeadEnrichedV1 => {
    const event = anEnrichedLead(...args);
    return { ...event, routing: { ...event.routing, destinations: [destination] } };
  };
