import type { EnhancedLead, LeadTier } from '@lead-delivery/contracts';
import { anEnhancedLead } from '@lead-delivery/testing';
import { randomUUID } from 'node:crypto';
import {
  OPERATOR_TOKEN,
  PersistenceHarness,
  READ_ONLY_TOKEN,
  type DeliveryOptions,
} from './persistence-harness';

const HOUR = 60 * 60 * 1000;
const start = Date.now() - 48 * HOUR;
const at = (hour: number) => new Date(start + hour * HOUR);

interface Seed {
  name: string;
  account: string;
  /** The same lead (lead_id and timestamp) as that seed, sent to this seed's account too. */
  sameLeadAs?: string;
  tier?: LeadTier;
  person?: string;
  deliveries: Array<Omit<DeliveryOptions, 'deliveredAt'> & { speedMs?: number }>;
  pending?: string[];
}

// Seven leads, an hour apart (L1 oldest), and L3 sent to a second account, through the real consumer.
const SEEDS: Seed[] = [
  {
    name: 'L1',
    account: 'acct-austin',
    tier: 'hot',
    person: 'shared',
    deliveries: [
      { destination: 'hubspot', outcome: 'delivered', speedMs: 1_000 },
      { destination: 'salesforce', outcome: 'delivered', speedMs: 5_000 },
    ],
  },
  {
    name: 'L2',
    account: 'acct-austin',
    tier: 'warm',
    person: 'shared',
    deliveries: [{ destination: 'hubspot', outcome: 'failed', error: 'HTTP 500' }],
  },
  {
    name: 'L3',
    account: 'acct-dallas',
    tier: 'hot',
    deliveries: [{ destination: 'hubspot', outcome: 'delivered', speedMs: 3_000 }],
    pending: ['salesforce'],
  },
  {
    name: 'L4',
    account: 'acct-dallas',
    tier: 'cold',
    deliveries: [{ destination: 'hubspot', outcome: 'dead_lettered', error: 'rejected', attempts: 5 }],
  },
  { name: 'L5', account: 'acct-austin', tier: 'cold', deliveries: [], pending: ['hubspot'] },
  { name: 'L6', account: 'acct-austin', deliveries: [] },
  {
    name: 'L7',
    account: 'acct-dallas',
    tier: 'warm',
    deliveries: [{ destination: 'hubspot', outcome: 'delivered', speedMs: 2_000 }],
  },
  { name: 'L8', account: 'acct-austin', sameLeadAs: 'L3', deliveries: [] },
];

describe('persistence read API: filters, pagination, people, stats and auth', () => {
  const harness = new PersistenceHarness();
  const leads = new Map<string, EnhancedLead>();
  const sharedPerson = `shared.${randomUUID()}@example.com`;
  const idsOf = (...names: string[]) => names.map((name) => leads.get(name)?.lead_id);
  const listed = (body: { items: Array<{ lead_id: string }> }) => body.items.map((item) => item.lead_id);
  const leadPath = (name: string, account = SEEDS.find((seed) => seed.name === name)?.account) =>
    `/accounts/${account}/leads/${leads.get(name)?.lead_id}`;
  const personPath = (account: string, personKey: string) =>
    `/accounts/${account}/people/${encodeURIComponent(personKey)}`;

  beforeAll(async () => {
    await harness.start();
    for (const [index, seed] of SEEDS.entries()) {
      const twin = seed.sameLeadAs === undefined ? undefined : leads.get(seed.sameLeadAs);
      const lead = twin ?? anEnhancedLead({ timestamp: at(index).toISOString() });
      if (seed.person) lead.contact = { ...lead.contact, email: sharedPerson };
      leads.set(seed.name, lead);
      const after = (ms: number) => new Date(Date.parse(lead.timestamp) + ms);
      await harness.publishReceived(lead, { accountId: seed.account, time: after(100) });
      if (!seed.tier) continue;
      await harness.publishEnriched(
        lead,
        {
          tier: seed.tier,
          accountId: seed.account,
          destinations: [...seed.deliveries.map((delivery) => delivery.destination), ...(seed.pending ?? [])],
        },
        { time: after(200) },
      );
      for (const { speedMs, ...delivery } of seed.deliveries) {
        await harness.publishDelivery(lead, {
          ...delivery,
          accountId: seed.account,
          deliveredAt: after(speedMs ?? 500),
        });
      }
    }
    await harness.consumedEverything();
  });
  afterAll(() => harness.stop());

  describe('auth', () => {
    it.each([
      ['no token', null],
      ['a wrong token', 'not-the-operator-token-at-all-000000'],
      ['a token of another length', 'x'],
    ])('answers 401 problem details to a request with %s', async (_case, token) => {
      for (const path of ['/leads', leadPath('L1'), '/stats', personPath('acct-austin', sharedPerson)]) {
        const response = await harness.get(path, token);
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="persistence"');
        expect(response.body).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401 });
      }
      expect((await harness.post('/erasures', { email: 'a@example.com' }, token)).status).toBe(401);
    });

    it('lets every operator token read', async () => {
      expect((await harness.get('/leads', OPERATOR_TOKEN)).status).toBe(200);
      expect((await harness.get('/leads', READ_ONLY_TOKEN)).status).toBe(200);
    });

    it('answers 403 problem details to a token without the erase scope, and records nothing', async () => {
      const response = await harness.post('/erasures', { email: 'a@example.com' }, READ_ONLY_TOKEN);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        title: 'Forbidden',
        status: 403,
        detail: expect.stringContaining('"dashboard"'),
      });
      expect(await harness.query('SELECT 1 FROM erasure_requests')).toEqual([]);
    });
  });

  describe('GET /leads', () => {
    it('lists every lead newest first', async () => {
      const { status, body } = await harness.get('/leads');
      expect(status).toBe(200);
      expect(listed(body)).toEqual(idsOf('L7', 'L6', 'L5', 'L4', 'L3', 'L8', 'L2', 'L1'));
      expect(body.next_cursor).toBeNull();
      expect(body.items[0]).toMatchObject({
        account_id: 'acct-dallas',
        tier: 'warm',
        timestamp: leads.get('L7')?.timestamp,
        deliveries: [{ destination: 'hubspot', status: 'delivered' }],
      });
    });

    it.each([
      ['account=acct-dallas', ['L7', 'L4', 'L3']],
      ['tier=hot', ['L3', 'L1']],
      ['status=delivered', ['L7', 'L3', 'L1']],
      ['status=pending', ['L5', 'L3']],
      ['destination=salesforce', ['L3', 'L1']],
      ['destination=salesforce&status=pending', ['L3']],
      ['destination=hubspot&status=failed', ['L2']],
      ['account=acct-austin&tier=cold', ['L5']],
      ['account=acct-nowhere', []],
    ])('filters by %s', async (query, expected) => {
      const { status, body } = await harness.get(`/leads?${query}`);
      expect(status).toBe(200);
      expect(listed(body)).toEqual(idsOf(...expected));
    });

    it('filters by a window of lead timestamps: since inclusive, until exclusive', async () => {
      const since = encodeURIComponent(at(1).toISOString());
      const until = encodeURIComponent(at(4).toISOString());
      const { body } = await harness.get(`/leads?since=${since}&until=${until}`);
      expect(listed(body)).toEqual(idsOf('L4', 'L3', 'L8', 'L2'));
    });

    it('pages with a cursor, without gaps or repeats, until next_cursor is null', async () => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const query = `/leads?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const { status, body } = await harness.get(query);
        expect(status).toBe(200);
        pages.push(listed(body));
        cursor = body.next_cursor;
      } while (cursor);
      expect(pages).toEqual([idsOf('L7', 'L6'), idsOf('L5', 'L4'), idsOf('L3', 'L8'), idsOf('L2', 'L1')]);
    });

    it('pages between the leads of two accounts that share a lead id and a timestamp', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const { body } = await harness.get(`/leads?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(
          ...body.items.map(
            (item: { account_id: string; lead_id: string }) => `${item.account_id}/${item.lead_id}`,
          ),
        );
        cursor = body.next_cursor;
      } while (cursor);
      const [twin] = idsOf('L3');
      expect(seen).toHaveLength(8);
      expect(seen.slice(4, 6)).toEqual([`acct-dallas/${twin}`, `acct-austin/${twin}`]);
    });

    it('pages through a filtered list too', async () => {
      const first = await harness.get('/leads?account=acct-austin&limit=3');
      expect(listed(first.body)).toEqual(idsOf('L6', 'L5', 'L8'));
      const second = await harness.get(`/leads?account=acct-austin&limit=3&cursor=${first.body.next_cursor}`);
      expect(listed(second.body)).toEqual(idsOf('L2', 'L1'));
      expect(second.body.next_cursor).toBeNull();
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['since=yesterday', 'since'],
      ['tier=lukewarm', 'tier'],
      ['status=lost', 'status'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['acount=acct-austin', 'acount'],
      [
        `since=${encodeURIComponent(at(3).toISOString())}&until=${encodeURIComponent(at(3).toISOString())}`,
        'until',
      ],
    ])('answers 400 problem details naming the parameter for %s', async (query, parameter) => {
      const { status, body, headers } = await harness.get(`/leads?${query}`);
      expect(status).toBe(400);
      expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        instance: `/leads?${query}`,
      });
      expect(body.errors).toEqual([{ parameter, detail: expect.any(String) }]);
    });
  });

  describe('GET /accounts/:accountId/leads/:leadId', () => {
    it('shows the lead, its timeline, its deliveries and the other inquiries of the same person', async () => {
      const [l1, l2] = idsOf('L1', 'L2');
      const { status, body } = await harness.get(leadPath('L1'));
      expect(status).toBe(200);
      expect(body.lead).toMatchObject({
        lead_id: l1,
        account_id: 'acct-austin',
        kind: 'enhanced',
        person_key: sharedPerson,
        contact: {
          first_name: 'Maria',
          email: leads.get('L1')?.contact.email.toLowerCase(),
          phone_e164: '+15125550142',
        },
        property: { city: 'Austin', mls_id: 'ACT-1234567' },
        finance_info: { pre_approved: true },
        enrichment: { tier: 'hot', score: 71, model_version: 'score-v1' },
        destinations: ['hubspot', 'salesforce'],
        raw: expect.objectContaining({ lead_id: l1 }),
      });
      expect(body.timeline.map((event: { type: string }) => event.type)).toEqual([
        'received',
        'enriched',
        'delivered',
        'delivered',
      ]);
      expect(body.deliveries).toEqual([
        expect.objectContaining({ destination: 'hubspot', status: 'delivered', speed_to_lead_ms: 1_000 }),
        expect.objectContaining({ destination: 'salesforce', status: 'delivered', speed_to_lead_ms: 5_000 }),
      ]);
      expect(body.person).toMatchObject({ person_key: sharedPerson, email: sharedPerson });
      expect(body.person.other_inquiries.map((item: { lead_id: string }) => item.lead_id)).toEqual([l2]);
    });

    it("shows each account's lead of a lead id apart", async () => {
      const dallas = await harness.get(leadPath('L3'));
      const austin = await harness.get(leadPath('L8'));
      expect(dallas.body.lead).toMatchObject({ lead_id: idsOf('L3')[0], account_id: 'acct-dallas' });
      expect(dallas.body.lead.enrichment).toMatchObject({ tier: 'hot' });
      expect(dallas.body.deliveries.map((delivery: { destination: string }) => delivery.destination)).toEqual(
        ['hubspot', 'salesforce'],
      );
      expect(austin.body.lead).toMatchObject({
        lead_id: idsOf('L3')[0],
        account_id: 'acct-austin',
        enrichment: null,
      });
      expect(austin.body.deliveries).toEqual([]);
      expect(austin.body.timeline.map((event: { type: string }) => event.type)).toEqual(['received']);
      expect((await harness.get(leadPath('L3', 'acct-houston'))).status).toBe(404);
    });

    it('shows a lead that was never enriched, without a person', async () => {
      const { body } = await harness.get(leadPath('L6'));
      expect(body).toMatchObject({
        lead: { enrichment: null, person_key: null },
        deliveries: [],
        person: null,
      });
      expect(body.timeline).toHaveLength(1);
    });

    it('answers 404 problem details for an unknown lead', async () => {
      const { status, body } = await harness.get('/accounts/acct-austin/leads/no-such-lead');
      expect(status).toBe(404);
      expect(body).toMatchObject({
        title: 'Not Found',
        status: 404,
        instance: '/accounts/acct-austin/leads/no-such-lead',
      });
    });
  });

  describe('GET /accounts/:accountId/people/:personKey', () => {
    it("lists the person's leads to the account, newest first", async () => {
      const { status, body } = await harness.get(personPath('acct-austin', sharedPerson));
      expect(status).toBe(200);
      expect(body).toMatchObject({
        account_id: 'acct-austin',
        person_key: sharedPerson,
        full_name: 'Maria Gonzalez',
      });
      expect(body.first_seen_at).toBe(leads.get('L1')?.timestamp);
      expect(body.last_seen_at).toBe(leads.get('L2')?.timestamp);
      expect(listed({ items: body.leads })).toEqual(idsOf('L2', 'L1'));
    });

    it('answers 404 for an unknown person, and for a person of another account', async () => {
      expect((await harness.get(personPath('acct-austin', 'nobody@example.com'))).status).toBe(404);
      expect((await harness.get(personPath('acct-dallas', sharedPerson))).status).toBe(404);
    });

    it('keeps the person key, which is personal data, out of the request log', () => {
      expect(harness.logs.text).toContain('/accounts/acct-austin/people/:personKey');
      expect(harness.logs.text).not.toContain(sharedPerson);
    });
  });

  describe('GET /stats', () => {
    const window = `since=${encodeURIComponent(at(0).toISOString())}&until=${encodeURIComponent(at(7).toISOString())}`;

    it('counts outcomes and computes speed-to-lead percentiles per destination', async () => {
      const { status, body } = await harness.get(`/stats?${window}`);
      expect(status).toBe(200);
      expect(body).toEqual({
        since: at(0).toISOString(),
        until: at(7).toISOString(),
        leads: 8,
        destinations: [
          {
            destination: 'hubspot',
            total: 6,
            outcomes: { pending: 1, delivered: 3, failed: 1, dead_lettered: 1, skipped: 0, suppressed: 0 },
            // percentile_cont over 1000, 2000, 3000
            speed_to_lead_ms: { count: 3, p50: 2_000, p90: 2_800, p99: 2_980 },
          },
          {
            destination: 'salesforce',
            total: 2,
            outcomes: { pending: 1, delivered: 1, failed: 0, dead_lettered: 0, skipped: 0, suppressed: 0 },
            speed_to_lead_ms: { count: 1, p50: 5_000, p90: 5_000, p99: 5_000 },
          },
        ],
      });
    });

    it('narrows to an account, a destination and a shorter window', async () => {
      const { body } = await harness.get(`/stats?${window}&account=acct-dallas&destination=hubspot`);
      expect(body.leads).toBe(3);
      expect(body.destinations).toEqual([
        expect.objectContaining({
          destination: 'hubspot',
          total: 3,
          outcomes: { pending: 0, delivered: 2, failed: 0, dead_lettered: 1, skipped: 0, suppressed: 0 },
          speed_to_lead_ms: { count: 2, p50: 2_500, p90: 2_900, p99: 2_990 },
        }),
      ]);
      const early = await harness.get(
        `/stats?since=${encodeURIComponent(at(0).toISOString())}&until=${encodeURIComponent(at(1).toISOString())}`,
      );
      expect(early.body.leads).toBe(1);
    });

    it('defaults to the last 24 hours', async () => {
      const { body } = await harness.get('/stats');
      expect(Date.parse(body.until) - Date.parse(body.since)).toBe(24 * HOUR);
      expect(body.leads).toBe(0); // the seeded leads are 42 to 48 hours old
    });

    it('answers 400 problem details for a bad window', async () => {
      const { status, body } = await harness.get(
        `/stats?since=${encodeURIComponent(at(5).toISOString())}&until=${encodeURIComponent(at(1).toISOString())}`,
      );
      expect(status).toBe(400);
      expect(body.errors).toEqual([{ parameter: 'until', detail: 'must be after since' }]);
      expect((await harness.get('/stats?since=soon')).body.errors).toEqual([
        { parameter: 'since', detail: expect.any(String) },
      ]);
    });
  });
});
