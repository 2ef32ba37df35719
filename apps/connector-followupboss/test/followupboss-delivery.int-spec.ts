import {
  HEADERS,
  PRIVACY_TOPICS,
  erasureGroupOf,
  type CrmErasureCompletedV1,
  type CrmErasureRequestedV1,
  type LeadEnrichedV1,
} from '@lead-delivery/contracts';
import {
  TopicRecorder,
  anEnrichedLead,
  expectEventually,
  skipExistingRecords,
  uniqueName,
  type ConnectorTestBed,
} from '@lead-delivery/testing';
import {
  SANDBOX_ACCOUNT,
  SYSTEM,
  followupbossTestBed,
  startFollowupbossSandbox,
} from './support/followupboss-sandbox';

/** An enriched lead routed to Follow Up Boss. */
const aLead = (...args: Parameters<typeof anEnrichedLead>): LeadEnrichedV1 => {
  const event = anEnrichedLead(...args);
  return { ...event, routing: { ...event.routing, destinations: ['followupboss'] } };
};

/**
 * What only Follow Up Boss does, through Kafka into its fake: event types on merged people, and erasure.
 * Delivery, redelivery and faults: the kit's suite (followupboss-suite.int-spec.ts).
 */
describe('connector-followupboss (sandbox, real Kafka)', () => {
  let sandbox: Awaited<ReturnType<typeof startFollowupbossSandbox>>;
  let bed: ConnectorTestBed;
  let env: Record<string, string>;
  let erasureOutcomes: TopicRecorder;

  beforeAll(async () => {
    sandbox = await startFollowupbossSandbox();
    bed = await followupbossTestBed().setUp();
    await bed.skipExisting();
    await skipExistingRecords(bed.kafka, erasureGroupOf('followupboss'), [
      PRIVACY_TOPICS.crmErasureRequested,
    ]);
    erasureOutcomes = await new TopicRecorder(bed.kafka).start(PRIVACY_TOPICS.crmErasureCompleted);
    env = {
      FOLLOWUPBOSS_BASE_URL: sandbox.url,
      FOLLOWUPBOSS_API_TOKEN: SANDBOX_ACCOUNT.apiKey,
      FOLLOWUPBOSS_SYSTEM: SYSTEM.name,
      FOLLOWUPBOSS_SYSTEM_KEY: SYSTEM.key,
      CONNECTOR_BACKOFF_INITIAL_MS: '50',
      CONNECTOR_BACKOFF_MAX_MS: '500',
      CONNECTOR_PARK_DELAY_INITIAL_MS: '500',
      CONNECTOR_PARK_DELAY_MAX_MS: '1000',
    };
  });
  afterEach(async () => {
    await bed.stopApps();
    await sandbox.reset();
  });
  afterAll(async () => {
    await erasureOutcomes.stop();
    await bed.tearDown();
    await sandbox.stop();
  });

  const personOf = async (email: string) =>
    (await sandbox.people()).find((person) => person.emails.some(({ value }) => value === email));

  it('delivers each lead as one event of its type on the person Follow Up Boss merged, the person id recorded', async () => {
    await bed.startApp(env);
    const buyer = aLead('acct-a');
    const seller = aLead('acct-a', { email: buyer.lead.contact.email, role: 'seller' });
    await bed.produce([buyer]);
    await expectEventually(() => expect(bed.delivered([buyer.lead.lead_id])).toHaveLength(1));
    await bed.produce([seller]);
    await expectEventually(() => expect(bed.delivered([seller.lead.lead_id])).toHaveLength(1));

    const person = await personOf(buyer.enrichment.normalized.email);
    expect(person?.events.map(({ type }) => type)).toEqual(['Property Inquiry', 'Seller Inquiry']);
    expect(person?.events[0]).toMatchObject({
      source: 'Realtor.com',
      system: SYSTEM.name,
      property: { street: '2104 Lakeview Dr', mlsNumber: 'ACT-1234567', price: 489_000 },
    });
    expect(person?.events[0]?.description).toMatch(
      new RegExp(`\\nRealtor\\.com lead id: ${buyer.lead.lead_id} \\(account acct-a\\)$`),
    );
    expect(
      bed.delivered([buyer.lead.lead_id, seller.lead.lead_id]).map((event) => event.crm_record_id),
    ).toEqual([String(person?.id), String(person?.id)]);
  });

  it('erases a delivered person on an erasure request: the person and its events deleted, outcome erased', async () => {
    await bed.startApp(env);
    const lead = aLead('acct-a');
    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1));
    const [delivery] = bed.delivered([lead.lead.lead_id]);
    expect(await personOf(lead.enrichment.normalized.email)).toBeDefined();

    // As persistence's erasure worker asks (libs/contracts CRM_ERASURE_REQUESTED_V1, keyed by account).
    const request: CrmErasureRequestedV1 = {
      erasure_id: uniqueName('erasure'),
      destination: 'followupboss',
      account_id: 'acct-a',
      records: [
        { lead_id: lead.lead.lead_id, crm_record_id: delivery?.crm_record_id ?? null },
        { lead_id: 'lead-never-delivered', crm_record_id: null },
      ],
      requested_at: new Date().toISOString(),
    };
    const producer = bed.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({
      topic: PRIVACY_TOPICS.crmErasureRequested,
      acks: -1,
      messages: [
        {
          key: request.account_id,
          value: JSON.stringify(request),
          headers: { [HEADERS.accountId]: request.account_id },
        },
      ],
    });
    await producer.disconnect();

    const outcomes = () =>
      erasureOutcomes.records
        .map((record) => JSON.parse(record.value ?? '{}') as CrmErasureCompletedV1)
        .filter((outcome) => outcome.erasure_id === request.erasure_id);
    await expectEventually(() => expect(outcomes()).toHaveLength(1));
    expect(outcomes()[0]).toMatchObject({
      destination: 'followupboss',
      account_id: 'acct-a',
      outcome: 'erased',
      method: 'deleted',
      counts: { people: 1, leads_without_person: 1, people_deleted: 1 },
      error: null,
    });
    expect(await personOf(lead.enrichment.normalized.email)).toBeUndefined();
  });
});
