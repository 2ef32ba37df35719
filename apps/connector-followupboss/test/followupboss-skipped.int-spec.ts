import { HEADERS, type LeadEnrichedV1 } from '@lead-delivery/contracts';
import {
  anEnrichedLead,
  committedOffsets,
  expectEventually,
  type ConnectorTestBed,
} from '@lead-delivery/testing';
import { writeAccountsFile } from './support/accounts';
import {
  SANDBOX_ACCOUNT,
  SYSTEM,
  followupbossTestBed,
  startFollowupbossSandbox,
} from './support/followupboss-sandbox';

const ARCHIVED_SOURCE = 'Archived Portal';
const ARCHIVED_ACCOUNT = 'acct-archived';

/** A lead of the account that sends ARCHIVED_SOURCE, routed to Follow Up Boss. */
const anArchivedSourceLead = (): LeadEnrichedV1 => {
  const event = anEnrichedLead(ARCHIVED_ACCOUNT);
  return { ...event, routing: { ...event.routing, destinations: ['followupboss'] } };
};

/** Follow Up Boss ignores the events of a source whose lead flow the account archived (204): a skip. */
describe('connector-followupboss, a lead flow archived (sandbox, real Kafka)', () => {
  let sandbox: Awaited<ReturnType<typeof startFollowupbossSandbox>>;
  let bed: ConnectorTestBed;

  beforeAll(async () => {
    sandbox = await startFollowupbossSandbox();
    bed = await followupbossTestBed().setUp();
    await bed.skipExisting();
  });
  afterAll(async () => {
    await bed.tearDown();
    await sandbox.stop();
  });

  const archiveSource = async () => {
    const response = await fetch(
      `${sandbox.url}/sandbox/followupboss/accounts/${SANDBOX_ACCOUNT.id}/archived-sources`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sources: [ARCHIVED_SOURCE] }),
      },
    );
    if (!response.ok) throw new Error(`archiving the source: ${response.status} ${await response.text()}`);
  };

  /** Produces the lead as the test bed does, and says where it went: to tell when its offset is committed. */
  const produce = async (lead: LeadEnrichedV1) => {
    const producer = bed.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const [sent] = await producer.send({
        topic: bed.topics.main,
        acks: -1,
        messages: [
          {
            key: lead.lead.lead_id,
            value: JSON.stringify(lead),
            headers: { [HEADERS.accountId]: lead.routing.account_id, [HEADERS.leadKind]: lead.kind },
          },
        ],
      });
      if (!sent) throw new Error('the broker acknowledged no partition');
      return sent;
    } finally {
      await producer.disconnect();
    }
  };

  it('publishes the lead as skipped (lead_source_archived) after one call: no retry, no dead letter, offset committed', async () => {
    await archiveSource();
    await bed.startApp({
      FOLLOWUPBOSS_BASE_URL: sandbox.url,
      FOLLOWUPBOSS_API_TOKEN: SANDBOX_ACCOUNT.apiKey,
      FOLLOWUPBOSS_SYSTEM: SYSTEM.name,
      FOLLOWUPBOSS_SYSTEM_KEY: SYSTEM.key,
      CONNECTOR_ACCOUNTS_FILE: writeAccountsFile({
        accounts: { [ARCHIVED_ACCOUNT]: { source: ARCHIVED_SOURCE } },
      }),
      CONNECTOR_PARK_DELAY_INITIAL_MS: '500',
      CONNECTOR_PARK_DELAY_MAX_MS: '1000',
    });
    const lead = anArchivedSourceLead();
    const sent = await produce(lead);

    await expectEventually(async () => {
      expect(bed.deliveryEvents([lead.lead.lead_id])).toHaveLength(1);
      const committed = await committedOffsets(bed.kafka, bed.group, bed.topics.main);
      expect(committed[sent.partition]).toBeGreaterThan(Number(sent.baseOffset));
    });
    const [event] = bed.deliveryEvents([lead.lead.lead_id]);
    expect(event).toMatchObject({ outcome: 'skipped', attempts: 1, crm_record_id: null, delivered_at: null });
    expect(event?.error).toMatch(
      new RegExp(`^lead_source_archived: lead flow archived: .*"${ARCHIVED_SOURCE}" \\(204\\)$`),
    );
    expect(bed.deadLetters([lead.lead.lead_id])).toHaveLength(0);
    expect(await sandbox.people()).toEqual([]);
  });
});
