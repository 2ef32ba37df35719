import { HEADERS, LEAD_ENRICHED_V1 } from '@lead-delivery/contracts';
import { committedOffsets, dlqCli, expectEventually } from '@lead-delivery/testing';
import { ConnectorHarness, anEnrichedLead } from './support/connector-harness';

describe('dead letters: per-record failures, the DLQ CLI, and replay after a fix', () => {
  let harness: ConnectorHarness;
  let other: ConnectorHarness;

  beforeEach(async () => {
    harness = await new ConnectorHarness().setUp();
    other = await new ConnectorHarness().setUp();
  });

  afterEach(async () => {
    await harness.tearDown();
    await other.tearDown();
  });

  it('delivers the good records, dead-letters the bad ones with their reason, and replays them once fixed', async () => {
    const leads = Array.from({ length: 20 }, () =>
      anEnrichedLead('acct-dallas', [harness.destination, other.destination]),
    );
    const ids = leads.map((lead) => lead.lead.lead_id);
    const rejected = ids.slice(0, 3);
    const unmappable = ids.slice(3, 5);
    rejected.forEach((id) => harness.crm.rejectedLeads.add(id));
    unmappable.forEach((id) => harness.crm.unmappableLeads.add(id));
    await harness.startApp();
    await other.startApp();
    await harness.produce(leads);

    await expectEventually(() => expect(harness.records(harness.dlqTopic)).toHaveLength(5));
    await expectEventually(() => expect(harness.deliveryEvents()).toHaveLength(20));
    expect([...harness.crm.records.keys()].sort()).toEqual(ids.slice(5).sort());
    const letters = harness.records(harness.dlqTopic);
    const byLead = new Map(letters.map((letter) => [letter.key, letter.headers]));
    for (const id of rejected) {
      expect(byLead.get(id)).toMatchObject({
        [HEADERS.errorKind]: 'rejected_by_crm',
        [HEADERS.originalTopic]: LEAD_ENRICHED_V1.topic,
        [HEADERS.attempt]: '1',
      });
      expect(byLead.get(id)?.[HEADERS.errorReason]).toMatch(
        /^INVALID_EMAIL_ADDRESS: m\*\*\*@e\*\*\*\.com is not deliverable$/,
      );
    }
    for (const id of unmappable) {
      expect(byLead.get(id)).toMatchObject({ [HEADERS.errorKind]: 'mapping_failed', [HEADERS.attempt]: '0' });
    }
    const deadEvents = harness.deliveryEvents().filter((event) => event.outcome === 'dead_lettered');
    expect(deadEvents.map((event) => event.lead_id).sort()).toEqual([...rejected, ...unmappable].sort());
    expect(deadEvents.find((event) => event.lead_id === rejected[0])?.error).toMatch(
      /^rejected_by_crm: INVALID_EMAIL_ADDRESS/,
    );
    await expectEventually(() => expect(other.crm.records.size).toBe(20));

    // An operator looks: ids, kinds, reasons, and no personal data.
    const list = dlqCli('list', harness.dlqTopic, '--json');
    expect(list.status).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<{
      leadId: string;
      kind: string;
      replayed: boolean;
      accountId: string;
    }>;
    expect(rows.map((row) => [row.leadId, row.kind]).sort()).toEqual(
      [
        ...rejected.map((id) => [id, 'rejected_by_crm']),
        ...unmappable.map((id) => [id, 'mapping_failed']),
      ].sort(),
    );
    expect(rows.every((row) => row.accountId === 'acct-dallas' && !row.replayed)).toBe(true);
    expect(dlqCli('list', harness.dlqTopic).stdout).not.toMatch(/@example\.com|555-0142/);

    const email = leads[0]?.lead.contact.email as string;
    const masked = dlqCli('inspect', harness.dlqTopic, rejected[0] as string);
    expect(masked.status).toBe(0);
    expect(masked.stdout).toContain(`lead ${rejected[0]}`);
    expect(masked.stdout).not.toContain(email);
    expect(masked.stdout).not.toContain('555-0142');
    const clear = dlqCli('inspect', harness.dlqTopic, rejected[0] as string, '--show-pii');
    expect(clear.stdout).toContain(email);

    // The mapping and the data are fixed; one lead first, then the rest, and never twice.
    harness.crm.rejectedLeads.clear();
    harness.crm.unmappableLeads.clear();
    const lead = ['--account', 'acct-dallas', '--lead', rejected[0] as string];
    const one = dlqCli('replay', harness.dlqTopic, ...lead, '--json');
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({
      replayed: [{ accountId: 'acct-dallas', leadId: rejected[0] }],
      alreadyReplayed: 0,
    });
    const rest = JSON.parse(dlqCli('replay', harness.dlqTopic, '--json').stdout) as {
      replayed: unknown[];
      alreadyReplayed: number;
    };
    expect(rest.replayed).toHaveLength(4);
    expect(rest.alreadyReplayed).toBe(1);
    expect(dlqCli('replay', harness.dlqTopic).stdout).toMatch(
      /^replayed 0 dead letter\(s\).*; 5 already replayed before/,
    );

    await expectEventually(() => expect(harness.crm.records.size).toBe(20));
    await expectEventually(() =>
      expect(harness.deliveryEvents().filter((event) => event.outcome === 'delivered')).toHaveLength(20),
    );
    expect([...harness.crm.records.values()].every((record) => record.writes === 1)).toBe(true);
    expect(
      JSON.parse(dlqCli('list', harness.dlqTopic, '--json').stdout).every(
        (row: { replayed: boolean }) => row.replayed,
      ),
    ).toBe(true);

    // The other destination already had these leads: it reads the replays and leaves them alone.
    const admin = other.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(LEAD_ENRICHED_V1.topic);
    await admin.disconnect();
    await expectEventually(async () => {
      const committed = await committedOffsets(other.kafka, other.group, LEAD_ENRICHED_V1.topic);
      for (const { partition, high } of ends)
        expect(committed[partition]).toBeGreaterThanOrEqual(Number(high));
    });
    expect([...other.crm.records.values()].every((record) => record.writes === 1)).toBe(true);
  });
});
