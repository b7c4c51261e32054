import { useEffect, type ReactNode } from 'react';
import { ErrorPanel } from '../components/error-panel.js';
import { Loading } from '../components/loading.js';
import { useKeel, useSessionQuery } from '../data/keel-context.js';
import { isKeelError } from '../data/keel-sdk.js';
import { LoginPage } from '../pages/login-page.js';

/**
 * Shows the app once the server says who is here: the login page when authentication is on and
 * nobody is signed in (at the address asked for, so a shared link opens after signing in), a
 * message when the server cannot be asked, and the app otherwise. With authentication off there is
 * no login page at all.
 */
export function SessionGate(props: { children: ReactNode }) {
  const { client, workspace, switchWorkspace } = useKeel();
  const session = useSessionQuery(client, workspace);
  const error = session.error;
  const unknownWorkspace =
    workspace !== undefined && isKeelError(error) && error.code === 'RESOURCE_DOES_NOT_EXIST';

  useEffect(() => {
    // The workspace this browser remembered is gone (or no longer visible): use the default.
    if (unknownWorkspace) switchWorkspace(undefined);
  }, [unknownWorkspace, switchWorkspace]);

  if (session.data !== undefined && !session.isError) return <>{props.children}</>;
  if (session.isPending || unknownWorkspace) return <Loading what="your session" />;
  if (isKeelError(error) && error.code === 'UNAUTHENTICATED') return <LoginPage />;
  return (
    <main className="page">
      <ErrorPanel error={error} context="Keel could not start" onRetry={() => void session.refetch()} />
    </main>
  );
}
