import { fireEvent, screen } from '@testing-library/react';
import type { LeadSummary } from '../api/read-api.types';
import { OPERATOR_TOKEN, me, renderSignedIn } from '../test-support/render-signed-in';

const summary = (leadId: string): LeadSummary => ({
  lead_id: leadId,
  account_id: 'acct-austin',
  kind: 'enhanced',
  timestamp: '2026-12-05T10:00:00.000Z',
  person_key: 'maria@example.com',
  name: 'Maria Gonzalez',
  city: 'Austin',
  state: 'TX',
  score: 88,
  tier: 'hot',
  deliveries: [{ destination: 'hubspot', status: 'delivered' }],
});

describe('LeadsPage', () => {
  function setUp() {
    const pages: Record<string, { items: LeadSummary[]; next_cursor: string | null }> = {
      '': { items: [summary('lead-2')], next_cursor: 'cursor-1' },
      'cursor-1': { items: [summary('lead-1')], next_cursor: null },
    };
    return renderSignedIn(
      {
        'GET /me': me('read'),
        'GET /leads': (call) => pages[new URLSearchParams(call.path.split('?')[1]).get('cursor') ?? ''],
      },
      '/leads',
    );
  }
  const lastQuery = (calls: ReturnType<typeof setUp>) =>
    Object.fromEntries(new URLSearchParams(calls.at(-1)?.path.split('?')[1] ?? ''));

  it('lists leads with their tier and deliveries, each linking to its page', async () => {
    setUp();
    const link = await screen.findByRole('link', { name: 'lead-2' });
    expect(link.getAttribute('href')).toBe('/leads/acct-austin/lead-2');
    expect(screen.getByText('hot (88)')).toBeTruthy();
    expect(screen.getByText('hubspot: delivered')).toBeTruthy();
  });

  it('searches with the filters, sending only those filled in, with the operator token', async () => {
    const api = setUp();
    await screen.findByRole('link', { name: 'lead-2' });
    fireEvent.change(screen.getByLabelText('Lead id, email or phone'), {
      target: { value: 'maria@example.com' },
    });
    fireEvent.change(screen.getByLabelText('Tier'), { target: { value: 'hot' } });
    fireEvent.change(screen.getByLabelText('Delivery status'), { target: { value: 'dead_lettered' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByRole('link', { name: 'lead-2' });
    expect(lastQuery(api)).toEqual({ q: 'maria@example.com', tier: 'hot', status: 'dead_lettered' });
    expect(api.at(-1)?.authorization).toBe(`Bearer ${OPERATOR_TOKEN}`);
  });

  it('pages forward with the cursor and back again', async () => {
    const api = setUp();
    await screen.findByRole('link', { name: 'lead-2' });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'lead-1' })).toBeTruthy();
    expect(lastQuery(api)).toEqual({ cursor: 'cursor-1' });
    expect(screen.getByRole('button', { name: 'Next' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByRole('link', { name: 'lead-2' })).toBeTruthy();
  });
});
