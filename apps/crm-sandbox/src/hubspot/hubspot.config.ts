import { BooleanFromEnv, EnvVar, IntFromEnv, ListFromEnv } from '@lead-delivery/config';
import { IsIn, IsInt, Matches, Min } from 'class-validator';

/** The fake HubSpot: its portals and their private-app tokens, limits and contact properties. */
export class HubspotConfig {
  @EnvVar({
    description:
      'Portals (accounts) the fake HubSpot hosts, comma-separated `<portalId>:<private-app token>`; each portal keeps its own records.',
    secret: true,
  })
  @ListFromEnv()
  @Matches(/^\d{1,12}:\S+$/, { each: true, message: 'each entry must be <portalId>:<token>' })
  HUBSPOT_PORTALS: string[] = ['1000001:pat-na1-00000000-0000-4000-8000-000000000001'];

  @EnvVar({
    description:
      'Custom contact properties, `name` (string) or `name:number` / `name:bool`; any other property than these and the standard ones is rejected (PROPERTY_DOESNT_EXIST).',
  })
  @ListFromEnv()
  @Matches(/^[a-z][a-z0-9_]*(:(string|number|bool))?$/, {
    each: true,
    message: 'each must be name[:string|number|bool]',
  })
  HUBSPOT_CONTACT_CUSTOM_PROPERTIES: string[] = [
    'rdc_lead_id',
    'rdc_person_key',
    'rdc_role',
    'rdc_mls_id',
    'rdc_listing_url',
    'rdc_tier',
    'rdc_score:number',
    'rdc_list_price:number',
    'rdc_beds:number',
    'rdc_baths:number',
    'rdc_probability:number',
    'rdc_budget_min:number',
    'rdc_budget_max:number',
    'rdc_pre_approved:bool',
  ];

  @EnvVar({
    description:
      'Custom contact properties with unique values, usable as `idProperty` in batch upsert besides `email`.',
  })
  @ListFromEnv()
  @Matches(/^[a-z][a-z0-9_]*$/, { each: true })
  HUBSPOT_CONTACT_UNIQUE_PROPERTIES: string[] = ['rdc_lead_id'];

  @EnvVar({
    description:
      'Requests per private app (token) per rolling 10 s (TEN_SECONDLY_ROLLING); the admin API can change it.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  HUBSPOT_TEN_SECONDLY_LIMIT = 190;

  @EnvVar({ description: 'Requests per portal per UTC day (DAILY), shared by its apps.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  HUBSPOT_DAILY_LIMIT = 1_000_000;

  @EnvVar({
    description:
      'Return batch results in a shuffled (seeded) order, as HubSpot does not promise input order; clients must correlate by email or objectWriteTraceId.',
  })
  @BooleanFromEnv()
  @IsIn([true, false])
  HUBSPOT_SHUFFLE_BATCH_RESULTS = true;
}
