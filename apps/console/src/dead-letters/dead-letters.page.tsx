import { useState } from 'react';
import type { ReplaySummary } from '../api/read-api.types';
import { useSession } from '../auth/session';
import { may } from '../auth/views';
import { LoadFailed, useLoad } from '../layout/use-load';

export const replayText = (summary: ReplaySummary) =>
  `Replayed ${summary.replayed}; ${summary.already_replayed} already replayed before; ` +
  `${summary.not_replayable.length} not replayable.`;

function DeadLetterTopic({ topic }: { topic: string }) {
  const { api, operator } = useSession();
  const { loaded, reload } = useLoad(() => api.deadLetters(topic), [topic]);
  const [result, setResult] = useState<string | undefined>();
  const canReplay = may(operator.scopes, 'replay');

  async function replay(selection: { account_id?: string; lead_id?: string }) {
    setResult('Replaying…');
    try {
      setResult(replayText(await api.replay(topic, selection)));
    } catch (error) {
      setResult(`Replay failed: ${(error as Error).message}`);
    }
    reload();
  }

  if (loaded.state === 'loading') return <p>Loading…</p>;
  if (loaded.state === 'failed') return <LoadFailed error={loaded.error} />;
  const waiting = loaded.value.filter((row) => !row.replayed);
  return (
    <>
      {result && <p role="status">{result}</p>}
      {canReplay && waiting.length > 0 && (
        <button type="button" onClick={() => void replay({})}>
          Replay all {waiting.length}
        </button>
      )}
      {loaded.value.length === 0 ? (
        <p>No dead letters.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Lead</th>
              <th scope="col">Account</th>
              <th scope="col">Kind</th>
              <th scope="col">Attempts</th>
              <th scope="col">Dead-lettered</th>
              <th scope="col">Reason</th>
              <th scope="col">Replay</th>
            </tr>
          </thead>
          <tbody>
            {loaded.value.map((row) => (
              <tr key={`${row.partition}:${row.offset}`}>
                <td>{row.lead_id ?? '—'}</td>
                <td>{row.account_id ?? '—'}</td>
                <td>{row.value_omitted ? `${row.kind} (value omitted)` : row.kind}</td>
                <td>{row.attempts ?? '—'}</td>
                <td>{new Date(row.dead_lettered_at).toLocaleString()}</td>
                <td>{row.reason ?? '—'}</td>
                <td>
                  {row.replayed ? (
                    'replayed'
                  ) : canReplay && row.lead_id && row.account_id ? (
                    <button
                      type="button"
                      aria-label={`Replay lead ${row.lead_id} of ${row.account_id}`}
                      onClick={() =>
                        void replay({ account_id: row.account_id ?? '', lead_id: row.lead_id ?? '' })
                      }
                    >
                      Replay
                    </button>
                  ) : (
                    'waiting'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function DeadLettersPage() {
  const { api } = useSession();
  const { loaded } = useLoad(() => api.deadLetterTopics(), []);
  const [topic, setTopic] = useState<string | undefined>();

  return (
    <>
      <h1>Dead letters</h1>
      {loaded.state === 'loading' && <p>Loading…</p>}
      {loaded.state === 'failed' && <LoadFailed error={loaded.error} />}
      {loaded.state === 'loaded' && (
        <>
          <label htmlFor="dlq-topic">Consumer</label>
          <select
            id="dlq-topic"
            value={topic ?? ''}
            onChange={(event) => setTopic(event.target.value || undefined)}
          >
            <option value="">choose a consumer</option>
            {loaded.value.map((entry) => (
              <option key={entry.topic} value={entry.topic}>
                {entry.consumer_group ?? entry.topic} ({entry.records} records)
              </option>
            ))}
          </select>
          {topic && (
            <section aria-label={`Dead letters of ${topic}`}>
              <h2>{topic}</h2>
              <DeadLetterTopic key={topic} topic={topic} />
            </section>
          )}
        </>
      )}
    </>
  );
}
