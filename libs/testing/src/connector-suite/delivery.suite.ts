/// <reference types="jest" />
import { HEADERS, type LeadEnrichedV1 } from '@lead-delivery/contracts';
import { leadIdsOf } from '../connector-test-bed';
import { dlqCli } from '../dlq-cli';
import { expectEventually } from '../expect-eventually';
import type { ConnectorSuiteSubject } from './connector-suite-subject';
import type { SandboxedConnector } from './sandboxed-connector';
import { leadsTo } from './suite-leads';
import { callsTo, type SuiteEndpoint } from './suite-endpoint';
import { rejectionOf } from './suite-rejection';

/** Delivery: each account's leads into its own tenant, batched, once; refused records dead-lettered and replayed. */
export function describeDelivery(subject: ConnectorSuiteSubject, crm: SandboxedConnector): void {
  const aLead = leadsTo(subject.connector.destination);
  const { a, b } = subject.accounts;
  const rejection = rejectionOf(subject);
  const keysOf = (events: LeadEnrichedV1[]) => events.map((event) => subject.records.keyOf(event));
  const callsOf = (endpoint: SuiteEndpoint) => callsTo(crm.sandbox.client, subject.crm, endpoint);
  /** The most upsert calls `leads` leads may take: `batched` when batching, else one a lead. */
  const mostUpserts = (leads: number, batched: number) => (subject.batching === 'per-lead' ? leads : batched);
  const calls = subject.batching === 'per-lead' ? 'a call per lead' : 'a few batched calls';

  it(`writes each account’s leads into its own tenant in ${calls}, names each record in its delivery event, and the same lead twice leaves one record`, async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const ofA = Array.from({ length: 60 }, () => aLead(a.id, { tier: 'hot' }));
    const ofB = Array.from({ length: 40 }, () => aLead(b.id, { tier: 'cold' }));
    const ofDefault = Array.from({ length: 10 }, () => aLead('acct-unlisted', { tier: 'warm' }));
    const all = [...ofA, ...ofB, ...ofDefault];
    const twice = ofB[0] as LeadEnrichedV1;
    await bed.produce(all);
    await bed.produce([twice]);

    await expectEventually(() => expect(bed.delivered(leadIdsOf(all))).toHaveLength(all.length + 1), {
      timeoutMs: 30_000,
    });
    const inA = await subject.records.recordsIn(sandbox.client, a.tenant);
    const inB = await subject.records.recordsIn(sandbox.client, b.tenant);
    expect(inA.map((record) => record.key).sort()).toEqual(keysOf([...ofA, ...ofDefault]).sort());
    expect(inB.map((record) => record.key).sort()).toEqual(keysOf(ofB).sort());

    const idByKey = new Map([...inA, ...inB].map((record) => [record.key, record.id]));
    for (const event of bed.delivered(leadIdsOf(all))) {
      const lead = all.find((candidate) => candidate.lead.lead_id === event.lead_id) as LeadEnrichedV1;
      expect(event.crm_record_id).toBe(idByKey.get(subject.records.keyOf(lead)));
    }
    const twiceRecord = inB.find((record) => record.key === subject.records.keyOf(twice));
    expect(twiceRecord?.activities).toHaveLength(subject.activitiesPerLead);

    const upserts = await callsOf(subject.endpoints.upsert);
    expect(Object.keys(upserts.byStatus).filter((status) => !status.startsWith('2'))).toEqual([]);
    // 110 leads of 3 accounts, batched: an account's first lead leaves at once (adaptive batching), the
    // others follow in full batches behind its call; a few calls per account plus the repeat, not one per lead.
    expect(upserts.total).toBeLessThanOrEqual(mostUpserts(all.length + 1, 10));
    const { activity } = subject.endpoints;
    const activities = activity ? (await callsOf(activity)).records : 0;
    expect(activities).toBe(all.length * subject.activitiesPerLead);
  });

  // Described only for a CRM that can be made to refuse single leads.
  if (rejection !== null)
    it('dead-letters the records the tenant refuses with its reason, delivers the rest, and delivers them on replay', async () => {
      const { bed, sandbox } = crm;
      await bed.startApp(crm.env());
      await rejection.refuse(sandbox.client, a.tenant);
      const since = new Date().toISOString();
      const good = Array.from({ length: 8 }, () => aLead(a.id));
      const bad = Array.from({ length: 3 }, () => rejection.refused(aLead(a.id)));
      await bed.produce([...good.slice(0, 4), ...bad, ...good.slice(4)]);

      await expectEventually(() => expect(bed.deadLetters(leadIdsOf(bad))).toHaveLength(3));
      await expectEventually(() => expect(bed.delivered(leadIdsOf(good))).toHaveLength(8));
      for (const letter of bed.deadLetters(leadIdsOf(bad))) {
        expect(letter.headers[HEADERS.errorKind]).toBe('rejected_by_crm');
        expect(letter.headers[HEADERS.errorReason]).toMatch(rejection.reason);
      }
      expect(bed.delivered(leadIdsOf(bad))).toEqual([]);
      const upserts = await callsOf(subject.endpoints.upsert);
      // Per-record results: no split, no retry of the refused ones.
      expect(upserts.total).toBeLessThanOrEqual(mostUpserts(good.length + bad.length, 2));

      await rejection.accept(sandbox.client, a.tenant);
      expect(dlqCli('replay', bed.group, '--since', since).status).toBe(0);
      await expectEventually(() => expect(bed.delivered(leadIdsOf(bad))).toHaveLength(3));
      // The tenant holds every lead once, the replayed ones included.
      const keys = (await subject.records.recordsIn(sandbox.client, a.tenant)).map((record) => record.key);
      expect(keys.sort()).toEqual(keysOf([...good, ...bad]).sort());
    });
}
