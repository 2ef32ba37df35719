import { IDENTITY_SUPPRESSED_V1, identityHash, type IdentitySuppressedV1 } from '@lead-delivery/contracts';
import { cloudEventHeaders, silentLogger } from '@lead-delivery/messaging';
import { expectEventually, testKafka, uniqueName } from '@lead-delivery/testing';
import type { Kafka, Producer } from 'kafkajs';
import { SuppressedIdentities } from '../src/suppression/suppressed-identities';
import { SuppressionFeed } from '../src/suppression/suppression-feed';
import { ConnectorHarness, anEnrichedLead } from './support/connector-harness';

// Suppression of erased identities on the real broker: every replica reads all of identities.suppressed.v1
// (a group of its own, nothing committed) before it delivers, keeps reading, and leaves its group on stop.
const KEY = 'integration-erasure-hash-key-0123456789';
const TOPIC = IDENTITY_SUPPRESSED_V1.topic;

const suppressionOf = (email: string, accountId: string | null): IdentitySuppressedV1 => ({
  identity_hash: identityHash(KEY, 'email', email),
  kind: 'email',
  account_id: accountId,
  erasure_id: uniqueName('erasure'),
  suppressed_until: '2999-01-01T00:00:00Z',
});

async function announce(producer: Producer, values: Array<IdentitySuppressedV1 | string>): Promise<void> {
  await producer.send({
    topic: TOPIC,
    acks: -1,
    messages: values.map((value) =>
      typeof value === 'string'
        ? { key: 'unreadable', value }
        : {
            key: IDENTITY_SUPPRESSED_V1.key(value),
            value: JSON.stringify(value),
            headers: cloudEventHeaders(IDENTITY_SUPPRESSED_V1, value, '/persistence', {
              accountId: value.account_id ?? '*',
            }),
          },
    ),
  });
}

/** The feed groups of `prefix` on the broker, with their state and what they committed. */
async function feedGroups(kafka: Kafka, prefix: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const ids = groups.map(({ groupId }) => groupId).filter((id) => id.startsWith(`${prefix}-suppression-`));
    const { groups: described } = await admin.describeGroups(ids);
    const found = [];
    for (const { groupId, state } of described) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
      const committed = (offsets?.partitions ?? []).filter(({ offset }) => offset !== '-1');
      found.push({ groupId, state, committed });
    }
    return found;
  } finally {
    await admin.disconnect();
  }
}

describe('suppression feed (real Kafka)', () => {
  const kafka = testKafka('suppression-feed-spec');
  let producer: Producer;

  beforeAll(async () => {
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  it('gives every replica every suppression, earlier and later, past an unreadable record, committing nothing', async () => {
    const group = uniqueName('connector-feed');
    const [early, late] = [anEnrichedLead('acct-1', ['x']), anEnrichedLead('acct-2', ['x'])];
    const emailOf = (lead: typeof early) => lead.enrichment.normalized.email as string;
    await announce(producer, ['{"identity_hash":', suppressionOf(emailOf(early), 'acct-1')]);

    const replicas = [1, 2].map(
      () =>
        new SuppressionFeed({
          kafka,
          group,
          identities: new SuppressedIdentities(KEY),
          logger: silentLogger,
        }),
    );
    try {
      await Promise.all(replicas.map((feed) => feed.start()));
      for (const feed of replicas) {
        expect(feed.status).toMatchObject({ running: true, caughtUp: true });
        expect(feed.identities.covers(early)).toBe(true);
        expect(feed.identities.covers(late)).toBe(false);
      }

      await announce(producer, [suppressionOf(emailOf(late), null)]);
      await expectEventually(() => {
        for (const feed of replicas) expect(feed.identities.covers(late)).toBe(true);
      });

      const groups = await feedGroups(kafka, group);
      expect(groups).toHaveLength(2);
      for (const { state, committed } of groups) {
        expect(state).toBe('Stable');
        expect(committed).toEqual([]);
      }
    } finally {
      await Promise.all(replicas.map((feed) => feed.stop()));
    }
    for (const { state } of await feedGroups(kafka, group)) expect(['Empty', 'Dead']).toContain(state);
    expect(replicas.map((feed) => feed.status.running)).toEqual([false, false]);
  });

  describe('in a connector app', () => {
    let harness: ConnectorHarness;

    beforeEach(async () => {
      harness = await new ConnectorHarness().setUp();
    });

    afterEach(async () => {
      await harness.tearDown();
    });

    it('records a lead of an identity erased before the app started as suppressed and delivers the others', async () => {
      const erased = anEnrichedLead('acct-1', [harness.destination]);
      const kept = anEnrichedLead('acct-1', [harness.destination]);
      await announce(producer, [suppressionOf(erased.enrichment.normalized.email as string, 'acct-1')]);

      const app = await harness.startApp({ ERASURE_HASH_KEY: KEY });
      await harness.produce([erased, kept]);

      await expectEventually(() =>
        expect(
          Object.fromEntries(harness.deliveryEvents().map((event) => [event.lead_id, event.outcome])),
        ).toEqual({ [erased.lead.lead_id]: 'suppressed', [kept.lead.lead_id]: 'delivered' }),
      );
      expect([...harness.crm.records.keys()]).toEqual([kept.lead.lead_id]);

      expect(await feedGroups(harness.kafka, harness.group)).toEqual([
        expect.objectContaining({ state: 'Stable', committed: [] }),
      ]);
      await app.close();
      harness.apps.splice(harness.apps.indexOf(app), 1);
      for (const { state } of await feedGroups(harness.kafka, harness.group)) {
        expect(['Empty', 'Dead']).toContain(state);
      }
    });
  });
});
