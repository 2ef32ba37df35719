import { CONSUMER_GROUPS, TOPICS } from '@lead-delivery/contracts';
import { anEnhancedLead, committedOffsets, expectEventually } from '@lead-delivery/testing';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { PostgresHealthCheck } from '../src/database/postgres.health';
import { PersistenceHarness } from './persistence-harness';

// The issue asks for this on the real server: `pg_ctlcluster ... stop`, then start. The cluster is
// started again in afterAll whatever happens, so no other test is left without PostgreSQL.
const [version] = readdirSync('/etc/postgresql');
const pgctl = (action: 'stop' | 'start') =>
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', String(version), 'main', action], {
    stdio: 'inherit',
  });
const postgresIsUp = () => spawnSync('pg_isready', ['-h', '127.0.0.1', '-t', '1']).status === 0;

async function endOfTopic(harness: PersistenceHarness, topic: string): Promise<number> {
  const admin = harness.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, { high }) => sum + Number(high), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('persistence: PostgreSQL stopped mid-stream', () => {
  const harness = new PersistenceHarness();

  beforeAll(() => harness.start());
  afterAll(async () => {
    if (!postgresIsUp()) pgctl('start');
    await expectEventually(() => expect(postgresIsUp()).toBe(true));
    await harness.stop();
  });

  it('stops committing while the database is down, then stores every produced lead exactly once', async () => {
    const leads = Array.from({ length: 900 }, () => anEnhancedLead());
    const produce = (from: number, to: number) =>
      Promise.all(
        leads.slice(from, to).map((lead) => harness.publishReceived(lead, { leadKind: 'enhanced' })),
      );
    const storedCount = async () =>
      (
        await harness.query<{ stored: number }>(
          'SELECT count(*)::int AS stored FROM leads WHERE lead_id = ANY($1)',
          [leads.map((lead) => lead.lead_id)],
        )
      )[0]?.stored ?? 0;

    await produce(0, 300);
    await expectEventually(async () => expect(await storedCount()).toBeGreaterThan(0));

    await harness.db.end(); // the test's own connection would die with the server
    pgctl('stop');
    try {
      await produce(300, 600);
      await expect(harness.app.get(PostgresHealthCheck).check()).rejects.toThrow();
      // Nothing is committed past what is stored: the offsets stand still while records wait.
      const before = await committedOffsets(harness.kafka, CONSUMER_GROUPS.persistence, TOPICS.leadReceived);
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(await committedOffsets(harness.kafka, CONSUMER_GROUPS.persistence, TOPICS.leadReceived)).toEqual(
        before,
      );
      const committed = Object.values(before).reduce((sum, offset) => sum + Math.max(offset, 0), 0);
      expect(committed).toBeLessThan(await endOfTopic(harness, TOPICS.leadReceived));
    } finally {
      pgctl('start');
    }
    await expectEventually(() => expect(postgresIsUp()).toBe(true));
    harness.db = await harness.connect();
    await produce(600, 900);

    await harness.consumedEverything(90_000);
    expect(await storedCount()).toBe(leads.length);
    const timeline = await harness.query<{ lead_id: string; received: number }>(
      `SELECT lead_id, count(*)::int AS received FROM lead_events
       WHERE lead_id = ANY($1) AND type = 'received' GROUP BY lead_id HAVING count(*) <> 1`,
      [leads.map((lead) => lead.lead_id)],
    );
    expect(timeline).toEqual([]);
    // The failed attempts were logged, without the batch's data.
    expect(harness.logs.text).toContain('handler failed; retrying the batch, offsets not committed');
    for (const lead of leads) expect(harness.logs.text).not.toContain(lead.contact.email);
    await expect(harness.app.get(PostgresHealthCheck).check()).resolves.toMatchObject({
      latencyMs: expect.any(Number),
    });
  });
});
