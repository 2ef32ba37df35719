import { useState, type FormEvent } from 'react';
import { signInError, useSessionState } from './session';

export function SignInPage() {
  const { signIn } = useSessionState();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token);
    } catch (caught) {
      setError(signInError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>Lead Delivery console</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">Operator token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          required
        />
        <button type="submit" disabled={busy || token.trim() === ''}>
          Sign in
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      <p className="hint">The token stays in this tab's memory; reloading the page signs you out.</p>
    </main>
  );
}
