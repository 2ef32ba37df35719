import { useState, type FormEvent } from 'react';
import type { Erasure } from '../api/read-api.types';
import { useSession } from '../auth/session';

/** The request body from the form: blank fields are left out. */
export function erasureRequestOf(form: { email: string; phone: string; account: string }) {
  return {
    ...(form.email.trim() ? { email: form.email.trim() } : {}),
    ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
    ...(form.account.trim() ? { account_id: form.account.trim() } : {}),
  };
}

/** Request an erasure and follow erasures by id (those requested here, or one looked up). */
export function ErasuresPage() {
  const { api } = useSession();
  const [form, setForm] = useState({ email: '', phone: '', account: '' });
  const [lookup, setLookup] = useState('');
  const [erasures, setErasures] = useState<Erasure[]>([]);
  const [error, setError] = useState<string | undefined>();

  const remember = (erasure: Erasure) =>
    setErasures((current) => [
      erasure,
      ...current.filter((known) => known.erasure_id !== erasure.erasure_id),
    ]);

  async function attempt(action: () => Promise<void>) {
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError((caught as Error).message);
    }
  }

  const request = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => remember(await api.requestErasure(erasureRequestOf(form))));
  };
  const find = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => remember(await api.erasure(lookup.trim())));
  };
  const refresh = () =>
    void attempt(async () => {
      const fresh = await Promise.all(erasures.map((erasure) => api.erasure(erasure.erasure_id)));
      setErasures(fresh);
    });

  return (
    <>
      <h1>Erasures</h1>
      <form className="filters" onSubmit={request} aria-label="Request an erasure">
        <label htmlFor="erase-email">Email</label>
        <input
          id="erase-email"
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <label htmlFor="erase-phone">Phone</label>
        <input
          id="erase-phone"
          value={form.phone}
          onChange={(e) => setForm({ ...form, phone: e.target.value })}
        />
        <label htmlFor="erase-account">Account (blank: every account)</label>
        <input
          id="erase-account"
          value={form.account}
          onChange={(e) => setForm({ ...form, account: e.target.value })}
        />
        <button type="submit" disabled={!form.email.trim() && !form.phone.trim()}>
          Request erasure
        </button>
      </form>
      <form className="filters" onSubmit={find} aria-label="Find an erasure">
        <label htmlFor="erasure-id">Erasure id</label>
        <input id="erasure-id" value={lookup} onChange={(e) => setLookup(e.target.value)} />
        <button type="submit" disabled={!lookup.trim()}>
          Show
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {erasures.length > 0 && (
        <button type="button" onClick={refresh}>
          Refresh status
        </button>
      )}
      {erasures.map((erasure) => (
        <section key={erasure.erasure_id} aria-label={`Erasure ${erasure.erasure_id}`}>
          <h2>
            Erasure {erasure.erasure_id}: {erasure.state}
          </h2>
          <p>
            By {erasure.matched_by.join(' and ')} in {erasure.account_id ?? 'every account'}, requested by{' '}
            {erasure.requested_by} at {new Date(erasure.requested_at).toLocaleString()}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Place</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Done</th>
              </tr>
            </thead>
            <tbody>
              {erasure.places.map((place) => (
                <tr key={place.place}>
                  <td>{place.place}</td>
                  <td>{place.state}</td>
                  <td>{place.attempts}</td>
                  <td>{place.last_error ?? '—'}</td>
                  <td>{place.done_at ? new Date(place.done_at).toLocaleString() : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
