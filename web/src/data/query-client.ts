import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ConnectionStatus } from './connection-status.js';
import { isConnectionError } from './errors.js';
import { isKeelError } from './keel-sdk.js';

export interface UiQueryClient {
  queryClient: QueryClient;
  connection: ConnectionStatus;
}

/**
 * The app's query cache: short staleness (tracking data changes while people look at it), retries
 * only for a lost connection (a 400 or 404 will not change by asking again), and every outcome
 * reported to the connection status. A 401 anywhere means the session ended: the session query is
 * refetched, which shows the login page.
 */
export function createUiQueryClient(): UiQueryClient {
  const connection = new ConnectionStatus();
  const onError = (error: unknown, key: readonly unknown[] | undefined) => {
    if (isConnectionError(error)) connection.markLost();
    else connection.markReachable();
    // The session query and the login itself answer 401 as part of signing in.
    const signingIn = key?.[0] === 'session' || key?.[0] === 'login';
    if (isKeelError(error) && error.code === 'UNAUTHENTICATED' && !signingIn) {
      void queryClient.invalidateQueries({ queryKey: ['session'] });
    }
  };
  const onSuccess = () => connection.markReachable();
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey), onSuccess }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => onError(error, mutation.options.mutationKey),
      onSuccess,
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, error) => isConnectionError(error) && failures < 2,
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 10_000),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
  return { queryClient, connection };
}
