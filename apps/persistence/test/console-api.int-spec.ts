import { HEADERS } from '@lead-delivery/contracts';
import { EventPublisher, IdempotentProducer } from '@lead-delivery/messaging';
import {
  TopicRecorder,
  anEnhancedLead,
  createTopic,
  expectEventually,
  uniqueName,
} from '@lead-delivery/testing';
import type { EnhancedLead } from '@lead-delivery/contracts';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Of } from '../src/read-api/http/operator-tokens';
import { PersistenceHarness, READ_ONLY_TOKEN } from './persistence-harness';

// What the operator console needs of the read API beyond the lead reads: who a token is, search, the
// speed-to-lead series, dead letters and their replay (libs/dead-letters, as the DLQ CLI), CRM record
// links, and the console's own files under /console.

const CONSOLE_TOKEN = 'console-operator-token-0123456789abcdef';
const ERASE_ONLY_TOKEN = 'console-erase-only-token-0123456789abcdef';
const tokenEntry = (name: string, token: string, scopes: string[]) => ({
  name,
  sha256: sha256Of(token).toString('hex'),
  scopes,
});

describe('persistence read API for the operator console', () => {
  const harness = new PersistenceHarness();
  const consoleDir = mkdtempSync(join(tmpdir(), 'console-build-'));
  const email = `${uniqueName('maria')}@example.com`;
  let lead: EnhancedLead;
  let other: EnhancedLead;

  beforeAll(async () => {
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(consoleDir, 'assets', 'app.js'), 'console.log(1);');
    await harness.start({
      CONSOLE_DIR: consoleDir,
      CRM_RECORD_LINKS: JSON.stringify({
        salesforce: {
          accounts: { 'acct-austin': 'https://austin.lightning.force.com/lightning/r/{id}/view' },
        },
        hubspot: { default: 'https://app.hubspot.com/contacts/{account}/record/0-1/{id}' },
      }),
      OPERATOR_TOKENS: JSON.stringify([
        tokenEntry('console-operator', CONSOLE_TOKEN, ['read', 'erase', 'replay', 'pii']),
        tokenEntry('dashboard', READ_ONLY_TOKEN, ['read']),
        tokenEntry('privacy-desk', ERASE_ONLY_TOKEN, ['erase']),
      ]),
    });
    const now = Date.now();
    lead = anEnhancedLead({ timestamp: new Date(now - 60_000).toISOString() });
    lead.contact = { ...lead.contact, email: email.toUpperCase() };
    other = anEnhancedLead({ timestamp: new Date(now - 30_000).toISOString() });
    for (const [current, speedMs] of [
      [lead, 2_000],
      [other, 400_000],
    ] as const) {
      await harness.publishReceived(current);
      await harness.publishEnriched(current, { destinations: ['hubspot', 'salesforce'] });
      for (const destination of ['hubspot', 'salesforce']) {
        await harness.publishDelivery(current, {
          destination,
          outcome: 'delivered',
          deliveredAt: new Date(Date.parse(current.timestamp) + speedMs),
        });
      }
    }
    await harness.consumedEverything();
  });
  afterAll(async () => {
    await harness.stop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  describe('GET /me', () => {
    it("tells any valid token its name and scopes, the console's sign-in", async () => {
      expect((await harness.get('/me', CONSOLE_TOKEN)).body).toEqual({
        name: 'console-operator',
        scopes: ['read', 'erase', 'replay', 'pii'],
      });
      expect(await harness.get('/me', ERASE_ONLY_TOKEN)).toMatchObject({
        status: 200,
        body: { name: 'privacy-desk', scopes: ['erase'] },
      });
      expect((await harness.get('/leads', ERASE_ONLY_TOKEN)).status).toBe(403);
    });

    it('refuses a wrong token with a 401 problem', async () => {
      expect(await harness.get('/me', `${CONSOLE_TOKEN}x`)).toMatchObject({
        status: 401,
        body: { detail: 'The operator token is not valid.' },
      });
    });
  });

  describe('GET /leads?q=', () => {
    const found = async (q: string) =>
      (
        (await harness.get(`/leads?q=${encodeURIComponent(q)}`, CONSOLE_TOKEN)).body.items as Array<{
          lead_id: string;
        }>
      ).map((item) => item.lead_id);

    it('finds a lead by its email in any case, and by its lead id', async () => {
      expect(await found(email.toUpperCase())).toEqual([lead.lead_id]);
      expect(await found(` ${lead.lead_id} `)).toEqual([lead.lead_id]);
    });

    it('finds leads by phone in any format (stored as E.164)', async () => {
      expect(await found('(512) 555-0142')).toEqual(expect.arrayContaining([lead.lead_id, other.lead_id]));
    });

    it('finds nothing for a text that is none of them', async () => {
      expect(await found('nobody@example.com')).toEqual([]);
    });
  });

  it("links each CRM record from the account's settings", async () => {
    const { body } = await harness.get(`/accounts/acct-austin/leads/${lead.lead_id}`, CONSOLE_TOKEN);
    expect(body.deliveries).toEqual([
      expect.objectContaining({
        destination: 'hubspot',
        crm_record_id: `crm-${lead.lead_id}`,
        crm_record_url: `https://app.hubspot.com/contacts/acct-austin/record/0-1/crm-${encodeURIComponent(lead.lead_id)}`,
      }),
      expect.objectContaining({
        destination: 'salesforce',
        crm_record_url: `https://austin.lightning.force.com/lightning/r/crm-${encodeURIComponent(lead.lead_id)}/view`,
      }),
    ]);
  });

  it('GET /stats/series gives per-hour percentiles and the share delivered within 5 minutes', async () => {
    const since = new Date(Date.parse(lead.timestamp) - 60_000).toISOString();
    const { status, body } = await harness.get(
      `/stats/series?bucket=hour&since=${since}&destination=hubspot`,
      READ_ONLY_TOKEN,
    );
    expect(status).toBe(200);
    const points = body.points as Array<{
      total: number;
      delivered: number;
      within_5_min_share: number;
      p99: number;
    }>;
    const totals = points.reduce(
      (sum, point) => ({
        total: sum.total + point.total,
        within: sum.within + point.within_5_min_share * point.total,
      }),
      { total: 0, within: 0 },
    );
    // One lead delivered in 2 s, the other in 400 s: half within 5 minutes.
    expect(totals).toEqual({ total: 2, within: 1 });
    expect(Math.max(...points.map((point) => point.p99))).toBeGreaterThanOrEqual(2_000);
  });

  it('answers 400 for a series with too many buckets', async () => {
    const { status, body } = await harness.get(
      '/stats/series?bucket=hour&since=2020-01-01T00:00:00Z',
      CONSOLE_TOKEN,
    );
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ parameter: 'bucket' })]);
  });

  describe('dead letters', () => {
    const group = uniqueName('console-test');
    const source = uniqueName('console-source');
    const dlq = `${source}.dlq.${group}`;
    const recorder = new TopicRecorder(harness.kafka);
    const reason = 'CRM rejected the email maria.buyer@example.com';

    beforeAll(async () => {
      await createTopic(harness.kafka, source);
      await createTopic(harness.kafka, dlq);
      const producer = new IdempotentProducer(harness.kafka);
      await producer.connect();
      const publisher = new EventPublisher(producer, { source: '/console-test' });
      for (const leadId of ['dead-1', 'dead-2']) {
        await publisher.send({
          topic: dlq,
          key: leadId,
          value: Buffer.from(JSON.stringify({ lead_id: leadId })),
          headers: {
            [HEADERS.accountId]: 'acct-austin',
            [HEADERS.originalTopic]: source,
            [HEADERS.errorKind]: 'rejected_by_crm',
            [HEADERS.errorReason]: reason,
            [HEADERS.attempt]: '3',
          },
        });
      }
      await producer.disconnect();
      await recorder.start(source);
    });
    afterAll(() => recorder.stop());

    it('lists DLQ topics with their consumer group and size', async () => {
      const { body } = await harness.get('/dead-letters', READ_ONLY_TOKEN);
      expect(body).toContainEqual({ topic: dlq, consumer_group: group, records: 2 });
    });

    it('masks personal data in reasons unless the token has the pii scope', async () => {
      const masked = await harness.get(`/dead-letters/${dlq}`, READ_ONLY_TOKEN);
      expect(masked.body).toHaveLength(2);
      expect(masked.body[0]).toMatchObject({ lead_id: 'dead-1', account_id: 'acct-austin', replayed: false });
      expect(masked.body[0].reason).not.toContain('maria.buyer@example.com');
      expect((await harness.get(`/dead-letters/${dlq}`, CONSOLE_TOKEN)).body[0].reason).toBe(reason);
    });

    it('answers 404 for a topic that is not a DLQ', async () => {
      expect((await harness.get(`/dead-letters/${source}`, READ_ONLY_TOKEN)).status).toBe(404);
    });

    it('replays one lead once, only with the replay scope, and never again', async () => {
      const one = { account_id: 'acct-austin', lead_id: 'dead-1' };
      expect((await harness.post(`/dead-letters/${dlq}/replay`, one, READ_ONLY_TOKEN)).status).toBe(403);
      expect(
        (await harness.post(`/dead-letters/${dlq}/replay`, { lead_id: 'dead-1' }, CONSOLE_TOKEN)).status,
      ).toBe(400);
      expect((await harness.post(`/dead-letters/${dlq}/replay`, one, CONSOLE_TOKEN)).body).toEqual({
        replayed: 1,
        already_replayed: 0,
        not_replayable: [],
      });
      expect((await harness.post(`/dead-letters/${dlq}/replay`, {}, CONSOLE_TOKEN)).body).toEqual({
        replayed: 1,
        already_replayed: 1,
        not_replayable: [],
      });
      expect((await harness.post(`/dead-letters/${dlq}/replay`, {}, CONSOLE_TOKEN)).body).toMatchObject({
        replayed: 0,
        already_replayed: 2,
      });
      await expectEventually(() =>
        expect(recorder.records.map((record) => record.key).sort()).toEqual(['dead-1', 'dead-2']),
      );
      expect(recorder.records[0]?.headers[HEADERS.replayedFrom]).toBe(`${dlq}/0/0`);
      const listed = (await harness.get(`/dead-letters/${dlq}`, READ_ONLY_TOKEN)).body as Array<{
        replayed: boolean;
      }>;
      expect(listed.map((row) => row.replayed)).toEqual([true, true]);
      expect(harness.logs.text).toContain('dead letters replayed');
      expect(harness.logs.text).not.toContain('maria.buyer@example.com');
    });
  });

  describe('/console', () => {
    const page = (path: string) => fetch(`${harness.readApiUrl}${path}`);

    it("serves the console's files and its index for its own routes, with a content security policy", async () => {
      const index = await page('/console/');
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('<title>console</title>');
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
      const route = await page('/console/leads/acct-austin/some-lead');
      expect(await route.text()).toContain('<title>console</title>');
      const asset = await page('/console/assets/app.js');
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
    });

    it('opens no API route without a token', async () => {
      expect((await page('/leads')).status).toBe(401);
      expect((await page('/console/../leads')).status).toBe(401);
    });
  });
});
