import { expectEventually } from '@lead-delivery/testing';
import { ConnectorHarness, anEnrichedLead } from './support/connector-harness';

describe('connector-kit adaptive batching against a real Kafka broker (fake CRM)', () => {
  let harness: ConnectorHarness;

  beforeEach(async () => {
    harness = await new ConnectorHarness().setUp();
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  it('sends a lone lead in a call of its own, and those arriving during that call in the next one', async () => {
    const app = await harness.startApp();
    const runtime = harness.runtime(app);
    let answer = () => undefined as void;
    harness.crm.hold = new Promise<void>((resolve) => (answer = resolve));

    const aLead = () => anEnrichedLead('acct-austin', [harness.destination]);
    const first = aLead();
    const during = [aLead(), aLead(), aLead()];
    await harness.produce([first]);
    // Sent alone although the batch could take 50: nothing waits for company while the account is idle.
    await expectEventually(() =>
      expect(harness.crm.calls.map((call) => call.leadIds)).toEqual([[first.lead.lead_id]]),
    );

    await harness.produce(during);
    await expectEventually(() => expect(runtime.status.inFlight).toBe(4));
    expect(harness.crm.calls).toHaveLength(1); // one call per account at a time
    harness.crm.hold = undefined;
    answer();

    await expectEventually(() => expect(harness.deliveryEvents()).toHaveLength(4));
    // The second batch mixes partitions, so its order is Kafka's, not ours.
    expect(harness.crm.calls.map((call) => [...call.leadIds].sort())).toEqual([
      [first.lead.lead_id],
      during.map((lead) => lead.lead.lead_id).sort(),
    ]);

    await harness.produce([aLead()]);
    await expectEventually(() => expect(harness.deliveryEvents()).toHaveLength(5));
    expect(harness.crm.calls.map((call) => call.leadIds.length)).toEqual([1, 3, 1]);
  });
});
