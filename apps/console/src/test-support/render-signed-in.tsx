import { render } from '@testing-library/react';
import { useEffect } from 'react';
import { MemoryRouter } from 'react-router';
import type { Scope } from '../api/read-api.types';
import { App } from '../app';
import { SessionProvider, useSessionState } from '../auth/session';
import { fakeReadApi, type Call } from './fake-read-api';

export const OPERATOR_TOKEN = 'operator-token';

function SignIn() {
  const { signIn } = useSessionState();
  // Once, on mount: as an operator would.
  useEffect(() => void signIn(OPERATOR_TOKEN), []);
  return null;
}

/**
 * The whole console at `path`, signed in with OPERATOR_TOKEN through its real sign-in, on a fake read API
 * (`GET /me` included in `routes`); returns the calls the console made.
 */
export function renderSignedIn(routes: Record<string, (call: Call) => unknown>, path: string): Call[] {
  const calls: Call[] = [];
  const clientFor = (token: string) => {
    const api = fakeReadApi(token, routes, calls);
    return api.client;
  };
  render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider clientFor={clientFor}>
        <SignIn />
        <App />
      </SessionProvider>
    </MemoryRouter>,
  );
  return calls;
}

export const me =
  (...scopes: Scope[]) =>
  () => ({ name: 'test-operator', scopes });
