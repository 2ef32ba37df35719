import { MappingError } from '@lead-delivery/connector-kit';
import { anEnrichedLead } from '../../test/enriched-lead';
import { mapFollowupbossRecord } from './followupboss-record.mapper';

describe('mapFollowupbossRecord', () => {
  it('maps a lead to a record keyed by its lead id', () => {
    const event = anEnrichedLead();
    expect(mapFollowupbossRecord(event)).toEqual({
      externalId: event.lead.lead_id,
      email: event.enrichment.normalized.email,
      firstName: 'Maria',
      lastName: 'Gonzalez',
      phone: '+15125550142',
      message: event.lead.message,
      propertyAddress: '2104 Lakeview Dr, Austin, TX 78704',
      listPrice: 489_000,
      tier: 'hot',
      score: 84,
      scoreReasons: ['pre-approved +15'],
    });
  });

  it('refuses a lead without an email address', () => {
    const event = anEnrichedLead();
    event.enrichment.normalized.email = '';
    event.lead.contact.email = ' ';
    expect(() => mapFollowupbossRecord(event)).toThrow(MappingError);
  });
});
