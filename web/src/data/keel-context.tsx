import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { KeelBrowserClient, type WhoAmI } from './keel-sdk.js';

const workspaceStorageKey = 'keel.workspace';

export interface KeelContextValue {
  client: KeelBrowserClient;
  /** The workspace chosen in this browser; undefined: the server's default for the user. */
  workspace: string | undefined;
  /** Who is signed in, once known. */
  session: WhoAmI | undefined;
  /** Remembers the CSRF token a login or the session answered. */
  setCsrfToken(token: string | undefined): void;
  /**
   * Switches workspace (undefined: back to the server's default): every query is keyed by it, so
   * every page reloads its data.
   */
  switchWorkspace(name: string | undefined): void;
}

const KeelContext = createContext<KeelContextValue | null>(null);

/** The client, the session and the workspace, for every page under it. */
export function useKeel(): KeelContextValue {
  const value = useContext(KeelContext);
  if (value === null) throw new Error('useKeel() is used outside <KeelProvider>');
  return value;
}

/**
 * Query keys of workspace data: the workspace first, so that switching it never shows one
 * workspace's cached data in another.
 */
export function useScopedKey(): (...parts: unknown[]) => unknown[] {
  const { workspace } = useKeel();
  return useCallback((...parts: unknown[]) => ['ws', workspace ?? '', ...parts], [workspace]);
}

function storedWorkspace(): string | undefined {
  try {
    return window.localStorage.getItem(workspaceStorageKey) || undefined;
  } catch {
    return undefined;
  }
}

/** The session query: who is signed in (a 401 means nobody; the app then shows the login page). */
export function useSessionQuery(client: KeelBrowserClient, workspace: string | undefined) {
  return useQuery({
    queryKey: ['session', workspace ?? ''],
    queryFn: () => client.auth.whoami(),
    staleTime: 60_000,
  });
}

export function KeelProvider(props: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const csrf = useRef<string | undefined>(undefined);
  const [workspace, setWorkspace] = useState(storedWorkspace);
  const client = useMemo(
    () =>
      new KeelBrowserClient({
        trackingUri: window.location.origin,
        workspace,
        csrfToken: () => csrf.current,
      }),
    [workspace],
  );
  const session = useSessionQuery(client, workspace);
  const sessionCsrf = session.data?.csrfToken;
  // After a reload the cookie is still there but the token is not: the session answers it again.
  // A layout effect, because the page below may mount in the same commit (its chunk preloaded) and
  // its queries start in passive effects, which run after every layout effect.
  useLayoutEffect(() => {
    if (sessionCsrf !== undefined) csrf.current = sessionCsrf;
  }, [sessionCsrf]);

  const switchWorkspace = useCallback(
    (name: string | undefined) => {
      try {
        if (name === undefined) window.localStorage.removeItem(workspaceStorageKey);
        else window.localStorage.setItem(workspaceStorageKey, name);
      } catch {
        // private mode: the choice lasts until the page reloads
      }
      setWorkspace(name);
      void queryClient.invalidateQueries();
    },
    [queryClient],
  );
  const value = useMemo<KeelContextValue>(
    () => ({
      client,
      workspace,
      session: session.data,
      setCsrfToken: (token) => {
        csrf.current = token;
      },
      switchWorkspace,
    }),
    [client, workspace, session.data, switchWorkspace],
  );
  return <KeelContext.Provider value={value}>{props.children}</KeelContext.Provider>;
}
