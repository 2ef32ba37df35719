import { anEnrichedLead, expectEventually, leadIdsOf, useSandboxedConnector } from '@lead-delivery/testing';
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORGS, SALESFORCE_SANDBOXED } from './support/salesforce-sandbox';

/** Each org's short window in the sandbox (its ConcurrentPerOrgLongTxn stand-in), and the same in the accounts file. */
const LIMIT = { max: 20, windowMs: 2_000 };

type Limits = { callsPerWindow: number; windowMs: number };
const AT_SANDBOX_LIMIT: Limits = { callsPerWindow: LIMIT.max, windowMs: LIMIT.windowMs };

/** acct-a1 and acct-a2 use the default org (a); acct-b has org b. Leads per lead: one Lead upsert each. */
function writeBudgetAccounts(url: string, orgA: Limits, orgB: Limits): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sf-budget-')), 'accounts.json');
  writeFileSync(
    file,
    JSON.stringify({
      default: { limits: orgA },
      accounts: {
        'acct-b': {
          credentials: { loginUrl: url, clientId: ORGS.b.clientId, clientSecret: ORGS.b.clientSecret },
          limits: orgB,
        },
      },
    }),
  );
  return file;
}

/** An access token of `org` from the sandbox, for calls the connector does not make (another integration's). */
async function tokenOf(url: string, org: { clientId: string; clientSecret: string }): Promise<string> {
  const answer = await fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: org.clientId,
      client_secret: org.clientSecret,
    }),
  });
  const { access_token } = (await answer.json()) as { access_token: string };
  return access_token;
}

describe("connector-salesforce: each org's call budget, shared by replicas (sandbox limits, real Kafka and PostgreSQL)", () => {
  const crm = useSandboxedConnector(SALESFORCE_SANDBOXED);
  const env = (orgA = AT_SANDBOX_LIMIT, orgB = AT_SANDBOX_LIMIT) =>
    crm.env({
      CONNECTOR_ACCOUNTS_FILE: writeBudgetAccounts(crm.sandbox.url, orgA, orgB),
      CONNECTOR_MAX_BATCH_SIZE: '1',
    });
  const callsOf = async (app: INestApplication) =>
    [...(await crm.bed.metrics(app)).matchAll(/^lead_connector_crm_calls_total\{[^}]*\} (\d+)$/gm)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );

  beforeEach(async () => {
    for (const org of [ORGS.a.id, ORGS.b.id]) {
      await crm.sandbox.client.setFaults('salesforce', { rateLimit: LIMIT }, org);
    }
    await crm.bed.skipExisting();
  });

  it("two replicas keep one org's limit between them: every lead delivered, no call refused", async () => {
    const [first, second] = [await crm.bed.startApp(env()), await crm.bed.startApp(env())];
    // 60 Leads, one upsert each, on org a: 60 API calls, about 8 s at the budget (16 per 2 s, see planWindows).
    const events = Array.from({ length: 60 }, (_, index) =>
      anEnrichedLead(index % 2 ? 'acct-a1' : 'acct-a2'),
    );
    await crm.bed.produce(events);

    await expectEventually(() => expect(crm.bed.delivered(leadIdsOf(events))).toHaveLength(60), {
      timeoutMs: 60_000,
    });
    const [usage] = await crm.sandbox.client.salesforceUsage(ORGS.a.id);
    expect(usage?.calls.total).toBe(60);
    expect(usage?.calls.rejected).toEqual({});
    // Both replicas called the org: the limit held because they counted together.
    expect(await callsOf(first)).toBeGreaterThan(0);
    expect(await callsOf(second)).toBeGreaterThan(0);
  });

  it("two orgs do not share one budget: one org out of calls does not hold the other's leads", async () => {
    // Org a may make one call per 2 s, org b 16.
    await crm.bed.startApp(env({ callsPerWindow: 2, windowMs: 2_000 }));
    const [slow, fast] = [
      Array.from({ length: 10 }, () => anEnrichedLead('acct-a1')),
      Array.from({ length: 10 }, () => anEnrichedLead('acct-b')),
    ];
    await crm.bed.produce([...slow, ...fast]);

    await expectEventually(() => expect(crm.bed.delivered(leadIdsOf(fast))).toHaveLength(10), {
      timeoutMs: 30_000,
    });
    // Org a's 10 calls take 20 s; its leads wait in memory for their org's windows, not parked.
    expect(crm.bed.delivered(leadIdsOf(slow)).length).toBeLessThan(10);
    expect(crm.bed.deliveryEvents(leadIdsOf(slow)).filter((event) => event.outcome !== 'delivered')).toEqual(
      [],
    );
    const usage = await crm.sandbox.client.salesforceUsage();
    expect(usage.map((org) => org.calls.rejected)).toEqual(usage.map(() => ({})));
  });

  it("reads the org's daily usage from Sforce-Limit-Info: above 95 % only its hot leads go, the others are parked; other orgs unaffected", async () => {
    // Org b has used 95 of its 100 API requests of the rolling day (another integration, say).
    await crm.sandbox.client.setFaults('salesforce', { rateLimit: null, dailyLimit: 100 }, ORGS.b.id);
    const token = await tokenOf(crm.sandbox.url, ORGS.b);
    for (let call = 0; call < 95; call += 1) {
      const answer = await fetch(
        `${crm.sandbox.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Lead LIMIT 1')}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(answer.headers.get('sforce-limit-info')).toBe(`api-usage=${call + 1}/100`);
    }
    const app = await crm.bed.startApp(env());
    // Its first lead is delivered; the answer's Sforce-Limit-Info says 96 of 100 are used.
    const opener = anEnrichedLead('acct-b', { tier: 'cold' });
    await crm.bed.produce([opener]);
    await expectEventually(() => expect(crm.bed.delivered([opener.lead.lead_id])).toHaveLength(1));
    expect(await crm.bed.metrics(app)).toMatch(
      /^lead_connector_crm_daily_budget_used_ratio\{[^}]*destination="salesforce"[^}]*\} 0\.96$/m,
    );

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
    const [orgB] = await crm.sandbox.client.salesforceUsage(ORGS.b.id);
    expect(orgB?.daily.used).toBe(97); // the 95, the opener and the hot lead
  });
});
