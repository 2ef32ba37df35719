import { anEnrichedLead, expectEventually, leadIdsOf, useSandboxedConnector } from '@lead-delivery/testing';
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HUBSPOT_SANDBOXED, PORTALS, connectorEnv } from './support/hubspot-sandbox';

/** Each portal's private app: 40 calls per rolling 2 s in the sandbox, and the same in the accounts file. */
const LIMIT = { max: 40, windowMs: 2_000 };

type Limits = { callsPerWindow: number; windowMs: number };
const AT_SANDBOX_LIMIT: Limits = { callsPerWindow: LIMIT.max, windowMs: LIMIT.windowMs };

/** acct-a1 and acct-a2 share the default portal (a); acct-b has portal b. */
function writeBudgetAccounts(url: string, portalA: Limits, portalB: Limits): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hs-budget-')), 'accounts.json');
  writeFileSync(
    file,
    JSON.stringify({
      default: { limits: portalA },
      accounts: {
        'acct-b': { credentials: { accessToken: PORTALS.b.token, baseUrl: url }, limits: portalB },
      },
    }),
  );
  return file;
}

describe("connector-hubspot: each portal's call budget, shared by replicas (sandbox limits, real Kafka and PostgreSQL)", () => {
  const crm = useSandboxedConnector(HUBSPOT_SANDBOXED);
  const env = (portalA = AT_SANDBOX_LIMIT, portalB = AT_SANDBOX_LIMIT) =>
    connectorEnv(crm.sandbox.url, writeBudgetAccounts(crm.sandbox.url, portalA, portalB), {
      CONNECTOR_MAX_BATCH_SIZE: '1',
    });
  const callsOf = async (app: INestApplication) =>
    [...(await crm.bed.metrics(app)).matchAll(/^lead_connector_crm_calls_total\{[^}]*\} (\d+)$/gm)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );

  beforeEach(async () => {
    for (const portal of [PORTALS.a.id, PORTALS.b.id]) {
      await crm.sandbox.client.setFaults('hubspot', { rateLimit: LIMIT }, portal);
    }
    await crm.bed.skipExisting();
  });

  it("two replicas keep one portal's limit between them: every lead delivered, no call refused", async () => {
    const [first, second] = [await crm.bed.startApp(env()), await crm.bed.startApp(env())];
    // 120 new people, one per call: 240 HTTP calls (upsert, note) on portal a, 6 s at the limit.
    const events = Array.from({ length: 120 }, (_, index) =>
      anEnrichedLead(index % 2 ? 'acct-a1' : 'acct-a2'),
    );
    await crm.bed.produce(events);

    await expectEventually(() => expect(crm.bed.delivered(leadIdsOf(events))).toHaveLength(120), {
      timeoutMs: 60_000,
    });
    const [usage] = await crm.sandbox.client.hubspotUsage(PORTALS.a.id);
    expect(usage?.calls.rejected).toEqual({});
    // A contact upsert and a note per lead: 240 calls. A lead whose partition moved to the other replica
    // while its call was in flight (a rebalance, when the machine is slow) is redelivered and costs a notes
    // lookup and an upsert more, never a second note.
    expect(usage?.calls.total).toBeGreaterThanOrEqual(240);
    const notes = await crm.sandbox.client.requestCounts({
      crm: 'hubspot',
      endpoint: 'hubspot.notes.batch-create',
    });
    expect(notes.records).toBe(120);
    // Both replicas called the portal: the limit held because they counted together.
    expect(await callsOf(first)).toBeGreaterThan(0);
    expect(await callsOf(second)).toBeGreaterThan(0);
  });

  it("two portals do not share one budget: one portal out of calls does not hold the other's leads", async () => {
    // Portal a may make one call per 2 s, portal b 32.
    await crm.bed.startApp(env({ callsPerWindow: 2, windowMs: 2_000 }));
    const [slow, fast] = [
      Array.from({ length: 10 }, () => anEnrichedLead('acct-a1')),
      Array.from({ length: 10 }, () => anEnrichedLead('acct-b')),
    ];
    await crm.bed.produce([...slow, ...fast]);

    await expectEventually(() => expect(crm.bed.delivered(leadIdsOf(fast))).toHaveLength(10), {
      timeoutMs: 30_000,
    });
    // Portal a's 20 calls take 40 s; its leads wait in memory for their portal's windows, not parked.
    expect(crm.bed.delivered(leadIdsOf(slow)).length).toBeLessThan(10);
    expect(crm.bed.deliveryEvents(leadIdsOf(slow)).filter((event) => event.outcome !== 'delivered')).toEqual(
      [],
    );
    const { entries } = await crm.sandbox.client.requests({ crm: 'hubspot', limit: 10_000 });
    expect(entries.filter((entry) => entry.status === 429)).toEqual([]);
  });

  it("above 95 % of a portal's daily limit delivers only its hot leads and parks the others; other portals unaffected", async () => {
    // Portal b has used 950 of its 1,000 daily calls (another integration, say).
    await crm.sandbox.client.setFaults('hubspot', { rateLimit: null, dailyLimit: 1_000 }, PORTALS.b.id);
    for (let call = 0; call < 950; call += 1) {
      await fetch(`${crm.sandbox.url}/crm/v3/objects/contacts/batch/upsert`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PORTALS.b.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [] }),
      });
    }
    const app = await crm.bed.startApp(env());
    // Its first lead is delivered; the answers tell the connector 95.2 % of the day is used.
    const opener = anEnrichedLead('acct-b', { tier: 'cold' });
    await crm.bed.produce([opener]);
    await expectEventually(() => expect(crm.bed.delivered([opener.lead.lead_id])).toHaveLength(1));

    const hot = anEnrichedLead('acct-b', { tier: 'hot' });
    const [warm, cold] = [
      anEnrichedLead('acct-b', { tier: 'warm' }),
      anEnrichedLead('acct-b', { tier: 'cold' }),
    ];
    const elsewhere = anEnrichedLead('acct-a1', { tier: 'cold' });
    await crm.bed.produce([hot, warm, cold, elsewhere]);

    await expectEventually(() =>
      expect(
        crm.bed
          .delivered(leadIdsOf([hot, elsewhere]))
          .map((event) => event.lead_id)
          .sort(),
      ).toEqual(leadIdsOf([hot, elsewhere]).sort()),
    );
    await expectEventually(() => {
      const parked = crm.bed
        .deliveryEvents(leadIdsOf([warm, cold]))
        .filter((event) => event.outcome === 'failed');
      expect(new Set(parked.map((event) => event.lead_id))).toEqual(new Set(leadIdsOf([warm, cold])));
      expect(parked.every((event) => event.error?.startsWith('daily_budget:'))).toBe(true);
    });
    expect(crm.bed.delivered(leadIdsOf([warm, cold]))).toEqual([]);
    expect(await crm.bed.metrics(app)).toMatch(
      /^lead_connector_crm_daily_budget_used_ratio\{[^}]*destination="hubspot"[^}]*\} 0\.95\d*$/m,
    );
  });
});
