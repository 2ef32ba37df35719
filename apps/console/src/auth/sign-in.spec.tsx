import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { App } from '../app';
import { fakeReadApi } from '../test-support/fake-read-api';
import { me, renderSignedIn } from '../test-support/render-signed-in';
import { SessionProvider } from './session';

const noLeads = () => ({ items: [], next_cursor: null });

describe('sign-in', () => {
  function renderSignIn(valid: string) {
    const clientFor = (token: string) =>
      fakeReadApi(token, { 'GET /me': () => (token === valid ? me('read')() : 401), 'GET /leads': noLeads })
        .client;
    render(
      <MemoryRouter initialEntries={['/']}>
        <SessionProvider clientFor={clientFor}>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    );
  }

  const signIn = (token: string) => {
    fireEvent.change(screen.getByLabelText('Operator token'), { target: { value: token } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  };

  it('refuses a wrong token and stays on the sign-in page', async () => {
    renderSignIn('good-token');
    signIn('bad-token');
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'This operator token is not valid.',
    );
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('signs in with a valid token, keeping it out of browser storage', async () => {
    renderSignIn('good-token');
    signIn('good-token');
    expect(await screen.findByRole('heading', { name: 'Leads' })).toBeTruthy();
    expect(JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie])).not.toContain(
      'good-token',
    );
  });

  it('signs out on request', async () => {
    renderSignIn('good-token');
    signIn('good-token');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('Operator token')).toBeTruthy();
  });
});

describe('views by scope', () => {
  const links = () => screen.getAllByRole('link').map((link) => link.textContent);

  it('shows a read token no erasures', async () => {
    renderSignedIn({ 'GET /me': me('read'), 'GET /leads': noLeads }, '/leads');
    await screen.findByRole('heading', { name: 'Leads' });
    expect(links()).toEqual(['Leads', 'Speed to lead', 'Dead letters']);
  });

  it('shows an erase-only token the erasures alone, even at a leads address', async () => {
    renderSignedIn({ 'GET /me': me('erase') }, '/leads');
    expect(await screen.findByRole('heading', { name: 'Erasures' })).toBeTruthy();
    expect(links()).toEqual(['Erasures']);
  });
});
