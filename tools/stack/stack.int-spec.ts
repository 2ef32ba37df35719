import {
  anEnhancedLead,
  createTestDatabase,
  expectEventually,
  type TestDatabase,
} from '@lead-delivery/testing';
import { LOCAL_OPERATOR_TOKEN } from './services';
import { skipEarlierSuitesRecords, startStackProcess, type StackProcess } from './stack-process';

const OFFSET = 20_000;
const gateway = `http://127.0.0.1:${3000 + OFFSET}`;
const readApi = `http://127.0.0.1:${3101 + OFFSET}`;
const sandbox = `http://127.0.0.1:${4010 + OFFSET}`;

interface Delivery {
  destination: string;
  status: string;
  crm_record_id: string | null;
}

describe('npm start: the local stack', () => {
  let stack: StackProcess;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('stack');
    await skipEarlierSuitesRecords();
    stack = await startStackProcess(OFFSET, { DATABASE_URL: database.url });
  }, 360_000);

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  }, 120_000);

  it('prints the URLs and a copy-paste curl', () => {
    expect(stack.output()).toContain(`${gateway}/lead-delivery`);
    expect(stack.output()).toContain(`${readApi}/leads`);
    expect(stack.output()).toContain(`${readApi}/console/`);
    expect(stack.output()).toMatch(/curl -s -X POST .*lead-delivery.*X-API-Key: local-austin-key/s);
  });

  it('takes a posted lead to PostgreSQL and into both CRMs of the sandbox', async () => {
    const lead = anEnhancedLead();
    const accepted = await fetch(`${gateway}/lead-delivery`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'local-austin-key' },
      body: JSON.stringify(lead),
    });
    expect(accepted.status).toBe(200);

    const deliveries = await expectEventually(
      async () => {
        const response = await fetch(`${readApi}/accounts/acct-austin-brokerage/leads/${lead.lead_id}`, {
          headers: { authorization: `Bearer ${LOCAL_OPERATOR_TOKEN}` },
        });
        expect(response.status).toBe(200);
        const details = (await response.json()) as {
          lead: { enrichment: { tier: string } | null };
          deliveries: Delivery[];
        };
        expect(details.lead.enrichment?.tier).toBe('hot');
        expect(details.deliveries.map((delivery) => [delivery.destination, delivery.status]).sort()).toEqual([
          ['hubspot', 'delivered'],
          ['salesforce', 'delivered'],
        ]);
        return details.deliveries;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(deliveries.every((delivery) => delivery.crm_record_id)).toBe(true);

    const recordOf = (destination: string) =>
      deliveries.find((delivery) => delivery.destination === destination)?.crm_record_id as string;
    const contacts = await (
      await fetch(
        `${sandbox}/sandbox/hubspot/contacts?email=${encodeURIComponent(lead.contact.email.toLowerCase())}`,
      )
    ).json();
    expect(JSON.stringify(contacts)).toContain(recordOf('hubspot'));
    const leads = await (
      await fetch(`${sandbox}/sandbox/salesforce/leads?Id=${recordOf('salesforce')}`)
    ).json();
    expect((leads as { count: number }).count).toBe(1);
  });

  it('stops every service cleanly on Ctrl-C', async () => {
    expect(await stack.stop()).toBe(0);
    await expect(fetch(`${gateway}/health/live`)).rejects.toThrow();
  }, 90_000);
});
