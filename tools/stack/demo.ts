// `npm run demo`: posts realistic sample leads to the local stack (`npm start`) and prints where each went:
// its row in PostgreSQL (score, tier, destinations) and the record ids it got in each CRM. A lead is an
// account's lead: the same lead_id posted by two accounts is two leads.
// STACK_PORT_OFFSET picks a stack started with the same offset.
import { signLead } from '@lead-delivery/contracts';
import { LOCAL_OPERATOR_TOKEN } from './services';

const offset = Number(process.env['STACK_PORT_OFFSET'] ?? 0);
const gateway = `http://127.0.0.1:${3000 + offset}`;
const readApi = `http://127.0.0.1:${3101 + offset}`;
const run = Date.now().toString(36);
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Accounts of config/local/accounts.json. */
interface LocalAccount {
  id: string;
  apiKey: string;
}
const AUSTIN: LocalAccount = { id: 'acct-austin-brokerage', apiKey: 'local-austin-key' };
const SOLO: LocalAccount = { id: 'acct-solo-agent', apiKey: 'local-solo-key' };

interface Sample {
  label: string;
  account: LocalAccount;
  lead: Record<string, unknown>;
  sign?: string;
}

const samples: Sample[] = [
  {
    label: 'pre-approved buyer asking for a tour (hot)',
    account: AUSTIN,
    lead: {
      lead_id: `demo-${run}-1`,
      role: 'buyer',
      contact: {
        first_name: 'ana',
        last_name: 'GARCÍA',
        email: 'Ana.Garcia@Example.com ',
        phone: '(512) 555-0101',
      },
      property: {
        address: '1207 W 6th St',
        city: 'Austin',
        state: 'Texas',
        zip_code: '78703',
        list_price: 725000,
        beds: 3,
        baths: 2,
        mls_id: 'ACT-7781',
        listing_status: 'active',
        active_days_on_market: 4,
      },
      finance_info: { pre_approved: true, budget_min: 650000, budget_max: 750000 },
      is_likely_to_transact: true,
      probability_to_transact: 0.86,
      message: 'We are pre-approved and would love to tour this Saturday, ready to make an offer.',
      timestamp: minutesAgo(1),
    },
  },
  {
    label: 'standard lead from the email-era form',
    account: AUSTIN,
    lead: {
      lead_id: `demo-${run}-2`,
      contact: { first_name: 'Tom', last_name: "O'Brien", email: 'tom.obrien@example.net' },
      property: {
        address: '88 Rainey St #1204',
        city: 'Austin',
        state: 'TX',
        zip_code: 78701,
        list_price: 415000,
        beds: 1,
        baths: 1,
      },
      message: 'Is the HOA fee included?',
      timestamp: minutesAgo(3),
    },
  },
  {
    label: 'seller in Texas',
    account: AUSTIN,
    lead: {
      lead_id: `demo-${run}-3`,
      role: 'seller',
      contact: {
        first_name: 'Priya',
        last_name: 'Natarajan',
        email: 'priya.n@example.org',
        phone: '+1 737 555 0133',
      },
      property: { address: '4512 Avenue F', city: 'Austin', state: 'TX', zip_code: '78751-2207' },
      message: 'Thinking of selling in the spring, what is my home worth?',
      timestamp: minutesAgo(2),
    },
  },
  {
    label: 'signed lead of the solo agent (HMAC)',
    account: SOLO,
    sign: 'local-solo-hmac-secret',
    lead: {
      lead_id: `demo-${run}-4`,
      role: 'buyer',
      contact: {
        first_name: 'Lena',
        last_name: 'Schmidt',
        email: 'lena.schmidt@example.de',
        phone: '+49 30 901820',
      },
      property: { city: 'Round Rock', state: 'TX', list_price: 389000, listing_status: 'active' },
      finance_info: { pre_approved: true },
      probability_to_transact: 0.7,
      message: 'Relocating for work in March, can we video-tour next week?',
      timestamp: minutesAgo(1),
    },
  },
  {
    label: 'cold lead of the solo agent (routed nowhere)',
    account: SOLO,
    lead: {
      lead_id: `demo-${run}-5`,
      contact: { email: 'just.browsing@example.com' },
      timestamp: minutesAgo(60 * 24 * 20),
    },
  },
  {
    label: 'second inquiry of the first buyer (same person)',
    account: AUSTIN,
    lead: {
      lead_id: `demo-${run}-6`,
      role: 'buyer',
      contact: {
        first_name: 'Ana',
        last_name: 'Garcia',
        email: 'ana.garcia@example.com',
        phone: '512-555-0101',
      },
      property: {
        address: '2201 Lake Austin Blvd',
        city: 'Austin',
        state: 'TX',
        zip_code: '78703',
        list_price: 699000,
        beds: 3,
        baths: 3,
      },
      finance_info: { pre_approved: true, budget_max: 750000 },
      message: 'Also interested in this one, same budget.',
      timestamp: minutesAgo(0),
    },
  },
];
// The first inquiry reached the solo agent too (an agent and their brokerage both subscribe): a lead of its own.
const [firstSample] = samples;
if (firstSample) {
  samples.push({ ...firstSample, label: 'the same inquiry, also sent to the solo agent', account: SOLO });
}

interface LeadDetails {
  lead: {
    enrichment: { tier: string; score: number } | null;
    destinations: string[] | null;
    person_key: string | null;
  };
  deliveries: Array<{ destination: string; status: string; crm_record_id: string | null }>;
}

async function post(sample: Sample): Promise<string> {
  const body = sample.sign
    ? { ...sample.lead, digital_signature: signLead(sample.lead, 'hmac-sha256', sample.sign) }
    : sample.lead;
  const response = await fetch(`${gateway}/lead-delivery`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': sample.account.apiKey },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { kind?: string; warnings?: unknown[]; detail?: string };
  return response.ok
    ? `${response.status} ${answer.kind}, ${answer.warnings?.length ?? 0} warning(s)`
    : `${response.status} ${answer.detail}`;
}

const leadPath = (accountId: string, leadId: string) =>
  `/accounts/${encodeURIComponent(accountId)}/leads/${encodeURIComponent(leadId)}`;

async function settled(
  accountId: string,
  leadId: string,
  timeoutMs = 60_000,
): Promise<LeadDetails | undefined> {
  const deadline = Date.now() + timeoutMs;
  let details: LeadDetails | undefined;
  while (Date.now() < deadline) {
    const response = await fetch(`${readApi}${leadPath(accountId, leadId)}`, {
      headers: { authorization: `Bearer ${LOCAL_OPERATOR_TOKEN}` },
    });
    if (response.ok) {
      details = (await response.json()) as LeadDetails;
      const routed = details.lead.destinations;
      const done =
        routed !== null &&
        routed.every((destination) =>
          details?.deliveries.some(
            (delivery) => delivery.destination === destination && delivery.status === 'delivered',
          ),
        );
      if (done) return details;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return details;
}

async function main(): Promise<void> {
  console.log(`Posting ${samples.length} leads to ${gateway}\n`);
  const answers = [];
  for (const sample of samples) answers.push(await post(sample));
  console.log('| account | lead | what | gateway | tier (score) | routed to | CRM records |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [index, sample] of samples.entries()) {
    const leadId = sample.lead['lead_id'] as string;
    const details = await settled(sample.account.id, leadId);
    const routed = details?.lead.destinations?.join(', ') || 'nowhere';
    const records =
      details?.deliveries
        .map((delivery) =>
          `${delivery.destination}: ${delivery.status} ${delivery.crm_record_id ?? ''}`.trim(),
        )
        .join('; ') || '—';
    const tier = details?.lead.enrichment
      ? `${details.lead.enrichment.tier} (${details.lead.enrichment.score})`
      : 'not stored yet';
    console.log(
      `| ${sample.account.id} | ${leadId} | ${sample.label} | ${answers[index]} | ${tier} | ${routed} | ${records} |`,
    );
  }
  console.log(
    `\nEach lead in full: curl -s ${readApi}/accounts/<account_id>/leads/<lead_id> -H 'Authorization: Bearer ${LOCAL_OPERATOR_TOKEN}'`,
  );
  console.log(`Operator console: ${readApi}/console/ (sign in with ${LOCAL_OPERATOR_TOKEN})`);
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${(error as Error).message} (is the stack running? npm start)`);
  process.exit(1);
});
