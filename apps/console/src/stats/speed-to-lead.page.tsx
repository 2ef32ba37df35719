import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useSession } from '../auth/session';
import { LoadFailed, useLoad } from '../layout/use-load';
import { destinationsOf, outcomesByBucket, percent } from './series';

const COLORS = ['#1f5fa8', '#a34400', '#2b7a3d', '#7a2b6e', '#5a5a5a'];
const WINDOWS = {
  '24 hours': { hours: 24, bucket: 'hour' },
  '7 days': { hours: 168, bucket: 'day' },
  '30 days': { hours: 720, bucket: 'day' },
} as const;
type WindowName = keyof typeof WINDOWS;

const tick = (bucket: string) =>
  new Date(bucket).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit' });

export function SpeedToLeadPage() {
  const { api } = useSession();
  const [range, setRange] = useState<WindowName>('24 hours');
  const [account, setAccount] = useState('');
  const { hours, bucket } = WINDOWS[range];
  const { loaded } = useLoad(
    () =>
      Promise.all([
        api.series({
          since: new Date(Date.now() - hours * 3_600_000).toISOString(),
          account: account || undefined,
          bucket,
        }),
        api.series({
          since: new Date(Date.now() - 30 * 86_400_000).toISOString(),
          account: account || undefined,
          bucket: 'day',
        }),
      ]),
    [range, account],
  );

  return (
    <>
      <h1>Speed to lead</h1>
      <div className="filters">
        <label htmlFor="stl-window">Window</label>
        <select
          id="stl-window"
          value={range}
          onChange={(event) => setRange(event.target.value as WindowName)}
        >
          {Object.keys(WINDOWS).map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
        <label htmlFor="stl-account">Account</label>
        <input
          id="stl-account"
          value={account}
          onChange={(event) => setAccount(event.target.value)}
          placeholder="every account"
        />
      </div>
      {loaded.state === 'loading' && <p>Loading…</p>}
      {loaded.state === 'failed' && <LoadFailed error={loaded.error} />}
      {loaded.state === 'loaded' && (
        <>
          {destinationsOf(loaded.value[0].points).map((destination, index) => {
            const points = loaded.value[0].points.filter((point) => point.destination === destination);
            const rows = points.map((point) => ({
              bucket: point.bucket,
              p50: point.p50,
              p90: point.p90,
              p99: point.p99,
              within5: percent(point.within_5_min_share),
            }));
            return (
              <section key={destination} aria-label={`Speed to lead of ${destination}`}>
                <h2>{destination}</h2>
                <figure>
                  <figcaption>
                    Milliseconds from the lead's timestamp to its CRM record (p50, p90, p99)
                  </figcaption>
                  <LineChart width={720} height={240} data={rows}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="bucket" tickFormatter={tick} />
                    <YAxis />
                    <Tooltip labelFormatter={(label) => tick(String(label))} />
                    <Legend />
                    <Line dataKey="p50" stroke={COLORS[0]} dot={false} />
                    <Line dataKey="p90" stroke={COLORS[1]} dot={false} />
                    <Line dataKey="p99" stroke={COLORS[2]} dot={false} />
                  </LineChart>
                </figure>
                <figure>
                  <figcaption>Share delivered within 5 minutes (%)</figcaption>
                  <BarChart width={720} height={160} data={rows}>
                    <XAxis dataKey="bucket" tickFormatter={tick} />
                    <YAxis domain={[0, 100]} />
                    <Tooltip labelFormatter={(label) => tick(String(label))} />
                    <Bar dataKey="within5" name="within 5 min %" fill={COLORS[index % COLORS.length]} />
                  </BarChart>
                </figure>
              </section>
            );
          })}
          {loaded.value[0].points.length === 0 && <p>No deliveries in this window.</p>}
          <h2>Delivery outcomes by day (30 days)</h2>
          <figure>
            <figcaption>Deliveries by their current outcome, per day of the lead's timestamp</figcaption>
            <BarChart width={720} height={240} data={outcomesByBucket(loaded.value[1].points)}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="bucket" tickFormatter={(bucket: string) => bucket.slice(0, 10)} />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="delivered" stackId="o" fill="#2b7a3d" />
              <Bar dataKey="pending" stackId="o" fill="#5a5a5a" />
              <Bar dataKey="failed" stackId="o" fill="#a34400" />
              <Bar dataKey="dead_lettered" name="dead-lettered" stackId="o" fill="#8b1a1a" />
              <Bar dataKey="skipped" name="skipped by the CRM account" stackId="o" fill="#9a8c3a" />
              <Bar dataKey="suppressed" name="suppressed (identity erased)" stackId="o" fill="#4a5d8a" />
            </BarChart>
          </figure>
        </>
      )}
    </>
  );
}
