import { fireEvent, screen } from '@testing-library/react';
import type { Erasure } from '../api/read-api.types';
import { me, renderSignedIn } from '../test-support/render-signed-in';
import { erasureRequestOf } from './erasures.page';

const erasure = (state: string, postgres: string): Erasure => ({
  erasure_id: '6f1c1f5e-5b7e-4a53-9d3a-1f2b3c4d5e6f',
  state,
  account_id: null,
  matched_by: ['email'],
  requested_by: 'test-operator',
  requested_at: '2026-12-05T10:00:00.000Z',
  completed_at: null,
  places: [
    { place: 'postgres', state: postgres, attempts: 1, last_error: null, done_at: null },
    { place: 'crm:hubspot', state: 'pending', attempts: 0, last_error: null, done_at: null },
  ],
});

describe('erasureRequestOf', () => {
  it('leaves blank fields out', () => {
    expect(erasureRequestOf({ email: ' maria@example.com ', phone: '', account: '' })).toEqual({
      email: 'maria@example.com',
    });
  });
});

describe('ErasuresPage', () => {
  it('requests an erasure and follows its state per place', async () => {
    const calls = renderSignedIn(
      {
        'GET /me': me('erase'),
        'POST /erasures': () => erasure('in_progress', 'pending'),
        [`GET /erasures/${erasure('', '').erasure_id}`]: () => erasure('in_progress', 'done'),
      },
      '/erasures',
    );
    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'maria@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request erasure' }));
    expect(await screen.findByRole('heading', { name: /in_progress/ })).toBeTruthy();
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ email: 'maria@example.com' });
    expect(screen.getByRole('cell', { name: 'crm:hubspot' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Refresh status' }));
    expect(await screen.findByRole('cell', { name: 'done' })).toBeTruthy();
  });
});
