import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { ReadApiClient, ReadApiError } from '../api/read-api.client';
import type { Me } from '../api/read-api.types';

export interface Session {
  operator: Me;
  api: ReadApiClient;
}

interface SessionState {
  session: Session | undefined;
  signIn(token: string): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

type ClientFactory = (token: string) => ReadApiClient;

/**
 * The operator's token lives in this component's state only: never in localStorage, sessionStorage or a
 * cookie, so a reload signs out.
 */
export function SessionProvider({
  children,
  clientFor = (token) => new ReadApiClient(token),
}: {
  children: ReactNode;
  clientFor?: ClientFactory;
}) {
  const [session, setSession] = useState<Session | undefined>(undefined);
  const state = useMemo<SessionState>(
    () => ({
      session,
      async signIn(token) {
        const api = clientFor(token.trim());
        const operator = await api.me();
        setSession({ operator, api });
      },
      signOut: () => setSession(undefined),
    }),
    [session, clientFor],
  );
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in session; only rendered under the signed-in routes. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('not signed in');
  return session;
}

export const signInError = (error: unknown) =>
  error instanceof ReadApiError && error.status === 401
    ? 'This operator token is not valid.'
    : error instanceof Error
      ? error.message
      : String(error);
