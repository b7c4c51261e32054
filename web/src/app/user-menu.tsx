import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import { useKeel } from '../data/keel-context.js';

/**
 * Who is signed in and in which workspace: switch workspace, sign out. A native `<details>`
 * disclosure, so it opens with Enter or Space and closes with a second press. With
 * authentication off it only shows the workspace.
 */
export function UserMenu() {
  const { client, session, workspace, switchWorkspace, setCsrfToken } = useKeel();
  const queryClient = useQueryClient();
  const details = useRef<HTMLDetailsElement>(null);
  const selectId = useId();
  const logout = useMutation({
    mutationFn: () => client.auth.logout(),
    onSuccess: async () => {
      setCsrfToken(undefined);
      // Nothing of the signed-in user stays in memory; the session query then finds nobody.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
      await queryClient.refetchQueries({ queryKey: ['session'] });
    },
  });
  if (session === undefined) return null;
  const current = session.workspace || workspace || 'default';
  const who = session.user ? session.user.displayName || session.user.username : 'Anonymous';
  return (
    <details className="user-menu" ref={details}>
      <summary aria-label={`User menu: ${who}, workspace ${current}`}>
        <span className="user-name">{who}</span>
        <span className="workspace-name">{current}</span>
      </summary>
      <div className="menu-panel">
        {session.authEnabled ? (
          <p>
            Signed in as <strong>{session.user?.username}</strong>
            {session.user?.isAdmin ? ' (site administrator)' : ''}
          </p>
        ) : (
          <p>Authentication is off on this server: everyone may do everything.</p>
        )}
        <label htmlFor={selectId}>Workspace</label>
        <select
          id={selectId}
          value={current}
          onChange={(event) => {
            switchWorkspace(event.target.value);
            if (details.current) details.current.open = false;
          }}
        >
          {session.workspaces.length === 0 && <option value={current}>{current}</option>}
          {session.workspaces.map((item) => (
            <option key={item.name} value={item.name}>
              {item.name}
            </option>
          ))}
        </select>
        {session.authEnabled && (
          <button type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Sign out
          </button>
        )}
        {logout.isError && (
          <p className="field-error" role="alert">
            Signing out failed: {(logout.error as Error).message}
          </p>
        )}
      </div>
    </details>
  );
}
