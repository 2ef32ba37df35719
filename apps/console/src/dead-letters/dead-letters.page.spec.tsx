import { fireEvent, screen } from '@testing-library/react';
import type { DeadLetterRow, Scope } from '../api/read-api.types';
import { me, renderSignedIn } from '../test-support/render-signed-in';

const TOPIC = 'leads.enriched.v1.dlq.connector-hubspot';
const row = (leadId: string, replayed: boolean): DeadLetterRow => ({
  partition: 0,
  offset: leadId === 'lead-1' ? '0' : '1',
  lead_id: leadId,
  account_id: 'acct-austin',
  kind: 'rejected_by_crm',
  attempts: 1,
  dead_lettered_at: '2026-12-05T10:00:00.000Z',
  replayed,
  reason: 'VALIDATION_ERROR: m***@e***.com is not accepted',
  value_omitted: null,
});

describe('DeadLettersPage', () => {
  function setUp(...scopes: Scope[]) {
    let replayedLead1 = false;
    const calls = renderSignedIn(
      {
        'GET /me': me(...scopes),
        'GET /dead-letters': () => [{ topic: TOPIC, consumer_group: 'connector-hubspot', records: 2 }],
        [`GET /dead-letters/${encodeURIComponent(TOPIC)}`]: () => [
          row('lead-1', replayedLead1),
          row('lead-2', true),
        ],
        [`POST /dead-letters/${encodeURIComponent(TOPIC)}/replay`]: () => {
          replayedLead1 = true;
          return { replayed: 1, already_replayed: 0, not_replayable: [] };
        },
      },
      '/dead-letters',
    );
    return calls;
  }
  const choose = async () =>
    fireEvent.change(await screen.findByLabelText('Consumer'), { target: { value: TOPIC } });

  it('lists a consumer’s dead letters with their (masked) reason', async () => {
    setUp('read');
    await choose();
    expect(await screen.findAllByText('VALIDATION_ERROR: m***@e***.com is not accepted')).toHaveLength(2);
  });

  it('offers no replay to a token without the replay scope', async () => {
    setUp('read');
    await choose();
    await screen.findAllByText('rejected_by_crm');
    expect(screen.queryByRole('button', { name: /Replay/ })).toBeNull();
    expect(screen.getByText('waiting')).toBeTruthy();
  });

  it('replays one lead of an account, then shows it replayed', async () => {
    const calls = setUp('read', 'replay');
    await choose();
    fireEvent.click(await screen.findByRole('button', { name: 'Replay lead lead-1 of acct-austin' }));
    expect(
      await screen.findByText('Replayed 1; 0 already replayed before; 0 not replayable.'),
    ).toHaveProperty('tagName', 'P');
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
      account_id: 'acct-austin',
      lead_id: 'lead-1',
    });
    await screen.findByText(
      (_content, element) => element?.tagName === 'TD' && element.textContent === 'replayed',
    );
    expect(screen.queryByRole('button', { name: /Replay lead/ })).toBeNull();
  });

  it('replays all of them at once', async () => {
    const calls = setUp('read', 'replay');
    await choose();
    fireEvent.click(await screen.findByRole('button', { name: 'Replay all 1' }));
    await screen.findByText(/^Replayed 1;/);
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({});
  });
});
