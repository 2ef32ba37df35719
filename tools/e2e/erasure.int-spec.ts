import { anEnhancedLead, expectEventually, uniqueLeadId } from '@lead-delivery/testing';
import { randomUUID } from 'node:crypto';
import { LOCAL_OPERATOR_TOKEN } from '../stack/services';
import { crmCopies } from './crm-records';
import { DEFAULT_ACCOUNT, freshLead, startPipeline, type LeadDetails, type Pipeline } from './pipeline';

// Erasure across every copy the platform made, with the whole platform as separate processes on a broker,
// a database and a CRM sandbox of their own (config/local: acct-austin-brokerage sends hot leads to HubSpot
// and to Salesforce, one Lead per person there). A person's leads are delivered, then erased: nothing of
// the person may remain in PostgreSQL, the gateway outbox or either CRM, and a lead of theirs that was in
// flight during the erasure (held on leads.received.v1 while enrichment is stopped) is not re-created.

/** The parts of the read API's erasure answers the test reads. */
interface ErasureAnswer {
  erasure_id: string;
  state: string;
  places: Array<{ place: string; state: string }>;
}

describe('erasure of a person, end to end', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline('erasure', 26_000);
  }, 900_000);

  afterAll(async () => {
    await pipeline?.stop();
  }, 120_000);

  const readApi = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${pipeline.readApiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${LOCAL_OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as ErasureAnswer };
  };

  const detailsOf = async (leadId: string) =>
    (await pipeline.details(DEFAULT_ACCOUNT.id, leadId)) as LeadDetails;

  const leadOf = (email: string) => {
    const lead = freshLead(anEnhancedLead({ lead_id: uniqueLeadId('e2e-erase') }));
    lead.contact = { ...lead.contact, email };
    return lead;
  };

  /** Everything the CRM sandbox holds of the person, over every org and portal. */
  const inCrms = async (email: string, leadIds: string[]) => {
    const summary = await pipeline.sandbox.summary();
    let contacts = 0;
    for (const { portalId } of summary.hubspot.portals) {
      contacts += (await pipeline.sandbox.hubspotContacts({ email }, { portal: portalId })).count;
    }
    let salesforceLeads = 0;
    for (const { orgId } of summary.salesforce.orgs) {
      salesforceLeads += (await pipeline.sandbox.salesforceLeads({ Email: email }, { org: orgId })).count;
    }
    const copies = await crmCopies(
      pipeline.sandbox,
      leadIds.map((leadId) => ({ accountId: DEFAULT_ACCOUNT.id, leadId })),
    );
    const activities = [...copies.hubspot.values(), ...copies.salesforce.values()].reduce((a, b) => a + b, 0);
    return { contacts, salesforceLeads, activities };
  };

  it('removes the person from PostgreSQL, the outbox and both CRMs, and does not re-create them from a lead in flight', async () => {
    const email = `erase-${randomUUID()}@example.com`;
    const delivered = [leadOf(email), leadOf(email)];
    for (const lead of delivered) expect((await pipeline.post(lead)).status).toBe(200);
    for (const lead of delivered) {
      await expectEventually(
        async () => {
          const details = await detailsOf(lead.lead_id);
          expect(
            details?.deliveries.map((delivery) => [delivery.destination, delivery.status]).sort(),
          ).toEqual([
            ['hubspot', 'delivered'],
            ['salesforce', 'delivered'],
          ]);
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
    }
    const leadIds = delivered.map((lead) => lead.lead_id);
    expect(await inCrms(email, leadIds)).toEqual({ contacts: 1, salesforceLeads: 1, activities: 4 });

    // A third inquiry of the person, in flight during the erasure: received (and stored) but not enriched.
    await pipeline.stack.stop('enrichment');
    const inFlight = leadOf(email);
    expect((await pipeline.post(inFlight)).status).toBe(200);
    await expectEventually(async () => expect(await detailsOf(inFlight.lead_id)).toBeDefined(), {
      timeoutMs: 30_000,
    });

    const { status, body } = await readApi('POST', '/erasures', { email });
    expect(status).toBe(202);
    const erasure = await expectEventually(
      async () => {
        const { body: view } = await readApi('GET', `/erasures/${body.erasure_id}`);
        expect(view.state).toBe('completed');
        return view;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(erasure.places.map((place) => [place.place, place.state])).toEqual([
      ['postgres', 'done'],
      ['outbox', 'done'],
      ['crm:hubspot', 'done'],
      ['crm:salesforce', 'done'],
    ]);
    expect(await inCrms(email, leadIds)).toEqual({ contacts: 0, salesforceLeads: 0, activities: 0 });

    // The lead in flight goes on: enrichment routes it, connectors recognise the erased identity.
    pipeline.stack.start('enrichment');
    await pipeline.stack.waitReady('enrichment');
    await expectEventually(
      async () => {
        const details = await detailsOf(inFlight.lead_id);
        expect(details.deliveries.map((delivery) => [delivery.destination, delivery.status]).sort()).toEqual([
          ['hubspot', 'suppressed'],
          ['salesforce', 'suppressed'],
        ]);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    expect(await inCrms(email, [...leadIds, inFlight.lead_id])).toEqual({
      contacts: 0,
      salesforceLeads: 0,
      activities: 0,
    });
    const mentions = async (sql: string) =>
      Number((await pipeline.query<{ n: string }>(sql, [`%${email}%`]))[0]?.n);
    expect(await mentions(`SELECT count(*) AS n FROM leads WHERE row_to_json(leads)::text ILIKE $1`)).toBe(0);
    expect(await mentions(`SELECT count(*) AS n FROM people WHERE row_to_json(people)::text ILIKE $1`)).toBe(
      0,
    );
    expect(
      await mentions(`SELECT count(*) AS n FROM lead_events WHERE row_to_json(lead_events)::text ILIKE $1`),
    ).toBe(0);
    expect(
      await mentions(
        `SELECT count(*) AS n FROM crm_deliveries WHERE row_to_json(crm_deliveries)::text ILIKE $1`,
      ),
    ).toBe(0);
    expect(
      await mentions(
        `SELECT count(*) AS n FROM erasure_requests WHERE row_to_json(erasure_requests)::text ILIKE $1`,
      ),
    ).toBe(0);
    expect(
      await mentions(
        `SELECT count(*) AS n FROM gateway_outbox WHERE row_to_json(gateway_outbox)::text ILIKE $1`,
      ),
    ).toBe(0);
    expect(
      await mentions(
        `SELECT count(*) AS n FROM gateway_dead_outbox WHERE row_to_json(gateway_dead_outbox)::text ILIKE $1`,
      ),
    ).toBe(0);
    const rows = await pipeline.query<{ lead_id: string; erased: boolean }>(
      `SELECT lead_id, erased_at IS NOT NULL AS erased FROM leads WHERE lead_id = ANY($1) ORDER BY lead_id`,
      [[...leadIds, inFlight.lead_id]],
    );
    expect(rows.map((row) => row.erased)).toEqual([true, true, true]);
  });
});
