import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../auth/session';
import { LoadFailed, useLoad } from '../layout/use-load';
import { FILTER_FIELDS, STATUSES, TIERS, filterFromParams, paramsFromForm } from './lead-filter';

const leadPath = (accountId: string, leadId: string) =>
  `/leads/${encodeURIComponent(accountId)}/${encodeURIComponent(leadId)}`;

export function LeadsPage() {
  const { api } = useSession();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<Record<string, string>>(() =>
    Object.fromEntries(FILTER_FIELDS.map((field) => [field, params.get(field) ?? ''])),
  );
  // Cursors of the pages before this one, so "Previous" works with keyset pagination.
  const [previous, setPrevious] = useState<string[]>([]);
  const filter = filterFromParams(params);
  const { loaded } = useLoad(() => api.leads(filter), [params.toString()]);

  const field = (name: string) => ({
    id: `filter-${name}`,
    value: form[name] ?? '',
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });

  function search(event: FormEvent) {
    event.preventDefault();
    setPrevious([]);
    setParams(paramsFromForm(form));
  }

  function page(cursor: string | undefined) {
    const next = new URLSearchParams(params);
    if (cursor) next.set('cursor', cursor);
    else next.delete('cursor');
    setParams(next);
  }

  return (
    <>
      <h1>Leads</h1>
      <form className="filters" onSubmit={search} role="search">
        <label htmlFor="filter-q">Lead id, email or phone</label>
        <input {...field('q')} type="search" />
        <label htmlFor="filter-account">Account</label>
        <input {...field('account')} />
        <label htmlFor="filter-since">From</label>
        <input {...field('since')} type="datetime-local" />
        <label htmlFor="filter-until">Until</label>
        <input {...field('until')} type="datetime-local" />
        <label htmlFor="filter-tier">Tier</label>
        <select {...field('tier')}>
          <option value="">any</option>
          {TIERS.map((tier) => (
            <option key={tier}>{tier}</option>
          ))}
        </select>
        <label htmlFor="filter-status">Delivery status</label>
        <select {...field('status')}>
          <option value="">any</option>
          {STATUSES.map((status) => (
            <option key={status}>{status}</option>
          ))}
        </select>
        <label htmlFor="filter-destination">Destination</label>
        <input {...field('destination')} />
        <button type="submit">Search</button>
      </form>
      {loaded.state === 'loading' && <p>Loading…</p>}
      {loaded.state === 'failed' && <LoadFailed error={loaded.error} />}
      {loaded.state === 'loaded' && (
        <>
          {loaded.value.items.length === 0 ? (
            <p>No lead matches.</p>
          ) : (
            <table>
              <caption>Newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Lead</th>
                  <th scope="col">Account</th>
                  <th scope="col">Time</th>
                  <th scope="col">Name</th>
                  <th scope="col">Where</th>
                  <th scope="col">Tier (score)</th>
                  <th scope="col">Deliveries</th>
                </tr>
              </thead>
              <tbody>
                {loaded.value.items.map((lead) => (
                  <tr key={`${lead.account_id}/${lead.lead_id}`}>
                    <td>
                      <Link to={leadPath(lead.account_id, lead.lead_id)}>{lead.lead_id}</Link>
                    </td>
                    <td>{lead.account_id}</td>
                    <td>{lead.timestamp && new Date(lead.timestamp).toLocaleString()}</td>
                    <td>{lead.name ?? '—'}</td>
                    <td>{[lead.city, lead.state].filter(Boolean).join(', ') || '—'}</td>
                    <td>{lead.tier ? `${lead.tier} (${lead.score})` : '—'}</td>
                    <td>
                      {lead.deliveries
                        .map((delivery) => `${delivery.destination}: ${delivery.status}`)
                        .join(', ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav aria-label="Pages" className="pages">
            <button
              type="button"
              disabled={previous.length === 0}
              onClick={() => {
                page(previous.at(-1) || undefined);
                setPrevious(previous.slice(0, -1));
              }}
            >
              Previous
            </button>
            <button
              type="button"
              disabled={!loaded.value.next_cursor}
              onClick={() => {
                setPrevious([...previous, filter.cursor ?? '']);
                page(loaded.value.next_cursor ?? undefined);
              }}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </>
  );
}

export { leadPath };
