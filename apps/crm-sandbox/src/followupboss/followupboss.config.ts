import { EnvVar, IntFromEnv, ListFromEnv } from '@lead-delivery/config';
import { IsInt, Matches, Min } from 'class-validator';

/** The fake Follow Up Boss: its accounts and their API keys, registered systems, limits, archived sources. */
export class FollowupbossConfig {
  @EnvVar({
    description:
      'Accounts the fake Follow Up Boss hosts, comma-separated `<accountId>:<API key>`; each keeps its own people and events.',
    secret: true,
  })
  @ListFromEnv()
  @Matches(/^\d{1,12}:\S+$/, { each: true, message: 'each entry must be <accountId>:<API key>' })
  FOLLOWUPBOSS_ACCOUNTS: string[] = ['3000001:fub-sandbox-key-0001'];

  @EnvVar({
    description:
      'Registered systems, `<X-System>:<X-System-Key>`; calls without a registered pair get the lower, unregistered limits.',
    secret: true,
  })
  @ListFromEnv()
  @Matches(/^[^:\s]+:\S+$/, { each: true, message: 'each entry must be <system>:<key>' })
  FOLLOWUPBOSS_SYSTEMS: string[] = ['LeadDeliveryPlatform:fub-sandbox-system-key'];

  @EnvVar({
    description:
      'Lead sources whose lead flow an account archived, `<accountId>:<source>`: their events are answered 204 and ignored.',
  })
  @ListFromEnv()
  @Matches(/^\d{1,12}:.+$/, { each: true, message: 'each entry must be <accountId>:<source>' })
  FOLLOWUPBOSS_ARCHIVED_SOURCES: string[] = [];

  @EnvVar({
    description:
      'POST /v1/events calls per account per sliding 10 s (context POST.events; Follow Up Boss documents it as unlimited, the sandbox bounds it so that 429 can be exercised).',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  FOLLOWUPBOSS_POST_EVENTS_LIMIT = 1_000;
}

/** Follow Up Boss's documented limits per sliding 10 s, by context, for registered and unregistered systems. */
export const READ_LIMITS = {
  registered: { events: 20, global: 250 },
  unregistered: { events: 10, global: 125 },
} as const;
