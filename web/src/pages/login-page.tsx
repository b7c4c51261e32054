import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { usePageTitle } from '../components/page-title.js';
import { describeError } from '../data/errors.js';
import { useKeel } from '../data/keel-context.js';

/**
 * Sign-in with a username and password: the server sets an HttpOnly session cookie and answers a
 * CSRF token, which the client sends with every change from then on.
 */
export function LoginPage() {
  usePageTitle('Sign in');
  const { client, setCsrfToken } = useKeel();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const errorId = useId();
  const login = useMutation({
    mutationKey: ['login'],
    mutationFn: () => client.auth.login(username, password),
    onSuccess: async (session) => {
      setCsrfToken(session.csrfToken);
      await queryClient.invalidateQueries();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  const failure = login.error ? describeError(login.error) : undefined;
  return (
    <main className="login-page">
      <form className="login-form" onSubmit={submit} aria-describedby={failure ? errorId : undefined}>
        <h1>Sign in to Keel</h1>
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            required
            autoFocus
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {failure && (
          <p id={errorId} className="field-error" role="alert">
            {failure.detail}
            {failure.action && failure.title !== 'You are signed out' ? ` ${failure.action}` : ''}
          </p>
        )}
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">
          No account yet? An administrator creates one with <code>keel users create</code>.
        </p>
      </form>
    </main>
  );
}
