import { Link, useParams } from 'react-router';
import { useSession } from '../auth/session';
import { LoadFailed, useLoad } from '../layout/use-load';
import { leadPath } from './leads.page';
import { formatDuration, timelineEntries } from './timeline';

export function LeadPage() {
  const { api } = useSession();
  const { accountId = '', leadId = '' } = useParams();
  const { loaded } = useLoad(() => api.lead(accountId, leadId), [accountId, leadId]);

  if (loaded.state === 'loading') return <p>Loading…</p>;
  if (loaded.state === 'failed') return <LoadFailed error={loaded.error} />;
  const detail = loaded.value;
  const { lead } = detail;
  const name =
    lead.contact.full_name ??
    ([lead.contact.first_name, lead.contact.last_name].filter(Boolean).join(' ') || '—');

  return (
    <>
      <h1>
        Lead {lead.lead_id} <small>of {lead.account_id}</small>
      </h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{name}</dd>
        <dt>Email</dt>
        <dd>{lead.contact.email ?? '—'}</dd>
        <dt>Phone</dt>
        <dd>{lead.contact.phone ?? '—'}</dd>
        <dt>Property</dt>
        <dd>
          {[lead.property.address, lead.property.city, lead.property.state].filter(Boolean).join(', ') || '—'}
        </dd>
        <dt>Tier (score)</dt>
        <dd>{lead.enrichment ? `${lead.enrichment.tier} (${lead.enrichment.score})` : 'not enriched yet'}</dd>
      </dl>

      <h2>CRM records</h2>
      {detail.deliveries.length === 0 ? (
        <p>Routed to no CRM.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">CRM</th>
              <th scope="col">Status</th>
              <th scope="col">Record</th>
              <th scope="col">Attempts</th>
              <th scope="col">Speed to lead</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {detail.deliveries.map((delivery) => (
              <tr key={delivery.destination} data-testid={`delivery-${delivery.destination}`}>
                <td>{delivery.destination}</td>
                <td>{delivery.status}</td>
                <td>
                  {delivery.crm_record_id === null ? (
                    '—'
                  ) : delivery.crm_record_url ? (
                    <a href={delivery.crm_record_url} target="_blank" rel="noreferrer">
                      {delivery.crm_record_id}
                    </a>
                  ) : (
                    delivery.crm_record_id
                  )}
                </td>
                <td>{delivery.attempts}</td>
                <td>
                  {delivery.speed_to_lead_ms === null ? '—' : formatDuration(delivery.speed_to_lead_ms)}
                </td>
                <td>{delivery.last_error ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Timeline</h2>
      <ol className="timeline">
        {timelineEntries(detail).map((entry) => (
          <li key={entry.key}>
            <strong>{entry.title}</strong>{' '}
            <span className="muted">
              {entry.at && new Date(entry.at).toLocaleString()} {entry.after}
            </span>
            <ul>
              {entry.lines.map((line, index) => (
                <li key={index}>{line}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>

      <h2>The person's other inquiries</h2>
      {!detail.person || detail.person.other_inquiries.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {detail.person.other_inquiries.map((other) => (
            <li key={other.lead_id}>
              <Link to={leadPath(other.account_id, other.lead_id)}>{other.lead_id}</Link>{' '}
              {other.timestamp && new Date(other.timestamp).toLocaleString()}{' '}
              {[other.city, other.state].filter(Boolean).join(', ')}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
