import { screen, within } from '@testing-library/react';
import type { LeadDetail } from '../api/read-api.types';
import { me, renderSignedIn } from '../test-support/render-signed-in';
import { timelineEntries } from './timeline';

const received = '2026-12-05T10:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(received) + ms).toISOString();

export const aLeadDetail = (): LeadDetail => ({
  lead: {
    lead_id: 'lead-7',
    account_id: 'acct-austin',
    kind: 'enhanced',
    source: 'realtor.com',
    timestamp: received,
    contact: {
      full_name: 'Maria Gonzalez',
      first_name: 'Maria',
      last_name: 'Gonzalez',
      email: 'maria@example.com',
      phone: '512-555-0142',
    },
    property: { address: '1207 W 6th St', city: 'Austin', state: 'TX' },
    enrichment: {
      score: 88,
      tier: 'hot',
      reasons: [{ factor: 'pre_approved', points: 15, label: 'pre-approved +15' }],
      model_version: 'score-v1',
    },
    destinations: ['hubspot', 'salesforce'],
    warnings: [{ pointer: '/property/zip_code', message: 'not a US ZIP code' }],
    received_at: received,
  },
  timeline: [
    {
      type: 'received',
      occurred_at: received,
      destination: null,
      details: { kind: 'enhanced', warnings: 1 },
      event_id: 'e1',
      recorded_at: received,
    },
    {
      type: 'enriched',
      occurred_at: later(120),
      destination: null,
      details: { score: 88, tier: 'hot', destinations: ['hubspot', 'salesforce'] },
      event_id: 'e2',
      recorded_at: later(120),
    },
    {
      type: 'delivery_failed',
      occurred_at: later(900),
      destination: 'hubspot',
      details: { attempts: 1, crm_record_id: null, error: 'HTTP 503' },
      event_id: 'e3',
      recorded_at: later(900),
    },
    {
      type: 'delivered',
      occurred_at: later(2_400),
      destination: 'hubspot',
      details: { attempts: 2, crm_record_id: '901', error: null },
      event_id: 'e4',
      recorded_at: later(2_400),
    },
  ],
  deliveries: [
    {
      destination: 'hubspot',
      status: 'delivered',
      crm_record_id: '901',
      crm_record_url: 'https://app.hubspot.com/contacts/20000001/record/0-1/901',
      attempts: 2,
      last_error: null,
      delivered_at: later(2_400),
      speed_to_lead_ms: 2_400,
    },
    {
      destination: 'salesforce',
      status: 'pending',
      crm_record_id: null,
      crm_record_url: null,
      attempts: 0,
      last_error: null,
      delivered_at: null,
      speed_to_lead_ms: null,
    },
  ],
  person: {
    person_key: 'maria@example.com',
    other_inquiries: [
      {
        lead_id: 'lead-3',
        account_id: 'acct-austin',
        kind: 'standard',
        timestamp: '2026-11-30T09:00:00.000Z',
        person_key: 'maria@example.com',
        name: 'Maria Gonzalez',
        city: 'Round Rock',
        state: 'TX',
        score: 40,
        tier: 'cold',
        deliveries: [],
      },
    ],
  },
});

describe('timelineEntries', () => {
  it('tells each step with its time since receipt: warnings, score reasons and routing, every attempt', () => {
    expect(timelineEntries(aLeadDetail())).toEqual([
      expect.objectContaining({
        title: 'Received',
        after: null,
        lines: ['enhanced lead from realtor.com', 'warning: not a US ZIP code'],
      }),
      expect.objectContaining({
        title: 'Enriched and routed',
        after: '+120 ms',
        lines: ['score 88, tier hot', 'reason: pre-approved +15', 'routed to hubspot, salesforce'],
      }),
      expect.objectContaining({
        title: 'Delivery attempt failed: hubspot',
        after: '+900 ms',
        lines: ['hubspot, attempt 1', 'error: HTTP 503'],
      }),
      expect.objectContaining({
        title: 'Delivered: hubspot',
        after: '+2.4 s',
        lines: ['hubspot, attempt 2', 'record 901'],
      }),
    ]);
  });
  it('tells a skipped delivery apart from a failure: its own title, not retried, its reason', () => {
    const detail = aLeadDetail();
    detail.timeline = [
      {
        type: 'delivery_skipped',
        occurred_at: later(700),
        destination: 'followupboss',
        details: {
          attempts: 1,
          crm_record_id: null,
          error: 'lead_source_archived: lead flow archived (204)',
        },
        event_id: 'e5',
        recorded_at: later(700),
      },
    ];
    expect(timelineEntries(detail)).toEqual([
      expect.objectContaining({
        title: 'Skipped by the CRM account: followupboss',
        lines: [
          'followupboss, attempt 1, not retried',
          'reason: lead_source_archived: lead flow archived (204)',
        ],
      }),
    ]);
  });
  it('titles a suppressed delivery as not delivered because the identity was erased, without empty details', () => {
    const detail = aLeadDetail();
    detail.timeline = [
      {
        type: 'delivery_suppressed',
        occurred_at: later(700),
        destination: 'hubspot',
        details: { attempts: 1, crm_record_id: null, error: null },
        event_id: 'e6',
        recorded_at: later(700),
      },
    ];
    expect(timelineEntries(detail)).toEqual([
      expect.objectContaining({
        title: 'Suppressed, identity erased: hubspot',
        lines: ["hubspot: not delivered, the person's identity was erased"],
      }),
    ]);
  });
});

describe('LeadPage', () => {
  it("links each CRM record, and lists the person's other inquiries", async () => {
    renderSignedIn(
      { 'GET /me': me('read'), 'GET /accounts/acct-austin/leads/lead-7': aLeadDetail },
      '/leads/acct-austin/lead-7',
    );
    const record = await screen.findByRole('link', { name: '901' });
    expect(record.getAttribute('href')).toBe('https://app.hubspot.com/contacts/20000001/record/0-1/901');
    expect(within(screen.getByTestId('delivery-salesforce')).getByText('pending')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'lead-3' }).getAttribute('href')).toBe(
      '/leads/acct-austin/lead-3',
    );
  });

  it("says so when the lead is not the account's", async () => {
    renderSignedIn({ 'GET /me': me('read') }, '/leads/acct-austin/missing');
    expect((await screen.findByRole('alert')).textContent).toBe('problem 404');
  });
});
