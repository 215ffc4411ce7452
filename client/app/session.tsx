/**
 * The signed-in session: the access token (kept in localStorage), the urql client that
 * sends it with every request and in graphql-ws connectionParams, and who the viewer is.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { Provider } from 'urql';
import { createApiClient } from '../client.js';

const TOKEN_KEY = 'practice.token';

interface Session {
  token: string | null;
  signIn(token: string): void;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

/** The session of the app; throws outside SessionProvider. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => localStorage.getItem(TOKEN_KEY));
  // A new client per token: cached data of one user never shows for another.
  const api = useMemo(
    () => createApiClient({ url: `${location.origin}/graphql`, getToken: () => localStorage.getItem(TOKEN_KEY) }),
    [token],
  );
  const signIn = useCallback((next: string) => {
    localStorage.setItem(TOKEN_KEY, next);
    setToken(next);
  }, []);
  const signOut = useCallback(() => {
    localStorage.removeItem(TOKEN_KEY);
    void api.dispose();
    setToken(null);
  }, [api]);
  const session = useMemo(() => ({ token, signIn, signOut }), [token, signIn, signOut]);
  return (
    <SessionContext.Provider value={session}>
      <Provider value={api.client}>{children}</Provider>
    </SessionContext.Provider>
  );
}
