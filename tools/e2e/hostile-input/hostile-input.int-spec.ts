import { TOPICS, type MainTopic } from '@lead-delivery/contracts';
import fc from 'fast-check';
import { hostileJsonBody, type RawBody } from './json-text.arbitrary';
import { hostileRecord } from './kafka-record.arbitrary';
import { loadHostileSettings, propertyParameters } from './hostile-settings';
import {
  postRaw,
  problemDefect,
  signedBody,
  startHostileStack,
  type HostileAccount,
  type HostileStack,
  type Signing,
} from './hostile-stack';
import { mutatedLeadBody } from './lead-mutation.arbitrary';
import { RecordTracker, groupsOf, type Stall } from './record-tracker';
import { Sentinels, type Sentinel } from './sentinels';
import { Tally, type TallyRow } from './tally';

// Generated hostile input against the whole platform (separate processes, own broker and database):
// bodies over real HTTP to the gateway, and raw records straight into every consumer's input topic.
// Seeded (HOSTILE_SEED, printed), scaled by HOSTILE_SCALE; a failure prints fast-check's counterexample
// and the command that replays it. The tally is printed at the end and written to
// test-results/hostile-input.md (the README's "Hostile input" table).

const settings = loadHostileSettings();
const SENTINEL_EVERY = 100;
const TEST_TIMEOUT_MS = 20 * 60_000;

const replayHint = (name: string, path: string | null | undefined) =>
  `replay: HOSTILE_SEED=${settings.seed} HOSTILE_PATH=${path ?? ''} KAFKA_BROKERS=127.0.0.1:19092 ` +
  `npx jest -c tools/jest.int.config.cjs --runInBand tools/e2e/hostile-input -t ${JSON.stringify(name)}`;

function describeStall(stall: Stall): string {
  const where = `${stall.group} ${stall.unfinished ? 'never finished' : 'stopped at'} ${stall.topic}/${stall.partition}@${stall.offset}`;
  const record = fc.stringify(stall.record);
  const shown = record.length > 4_000 ? `${record.slice(0, 4_000)}… (${record.length} characters)` : record;
  return `${where}${stall.serviceAlive ? '' : ' (its process died)'}: ${shown}`;
}

describe('hostile input', () => {
  const tally = new Tally();
  let stack: HostileStack;
  let tracker: RecordTracker;
  let sentinels: Sentinels;

  beforeAll(async () => {
    console.log(
      `hostile input: seed ${settings.seed}, scale ${settings.scale}, liveness bound ${settings.livenessMs} ms`,
    );
    stack = await startHostileStack();
    tracker = new RecordTracker(stack.pipeline);
    await tracker.start();
    sentinels = new Sentinels(stack.pipeline, stack.accounts.sentinel, settings.livenessMs);
  }, 600_000);

  afterAll(async () => {
    // Only a run that got as far as its cases replaces the last table.
    if (!tally.empty) console.log(`\n${tally.write(settings.seed)}\n`);
    await tracker?.stop();
    await stack?.pipeline.stop();
  }, 120_000);

  /** The sentinels posted by one test that did not arrive; the groups they were stuck behind are moved on. */
  async function stalledSentinels(label: string): Promise<Sentinel[]> {
    const stalled = (await sentinels.stalled()).filter((sentinel) => sentinel.after.startsWith(label));
    if (stalled.length > 0) {
      const stuck = await tracker.stuckGroups();
      console.log(
        stuck.length > 0
          ? `sentinels stalled behind:\n${stuck.map(describeStall).join('\n')}`
          : `${stalled.length} sentinel(s) stalled behind records already moved past (see the failures above)`,
      );
      await tracker.skipStalledRecords(stuck);
    }
    return stalled;
  }

  /** Fails with fast-check's report and the replay command, else if a sentinel of `label` stalled. */
  async function expectSettled<Ts>(label: string, details: fc.RunDetails<Ts>, row: TallyRow): Promise<void> {
    const stalled = await stalledSentinels(label);
    row.stalls += stalled.length;
    if (details.failed) {
      const name = expect.getState().currentTestName ?? '';
      throw new Error(`${fc.defaultReportMessage(details)}\n${replayHint(name, details.counterexamplePath)}`);
    }
    expect(stalled).toEqual([]);
  }

  /** Restarts the gateway if a case killed it, so that the cases after it (and shrinking) still mean something. */
  async function gatewayUp(): Promise<void> {
    const live = await fetch(`${stack.pipeline.gatewayUrl}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) return;
    await stack.pipeline.stack.stop('gateway', { timeoutMs: 5_000 });
    stack.pipeline.stack.start('gateway');
    await stack.pipeline.stack.waitReady('gateway');
  }

  describe('over HTTP, the gateway never answers 5xx, answers every 4xx as an RFC 9457 problem, and keeps taking leads', () => {
    const contentType = fc.oneof(
      { weight: 12, arbitrary: fc.constant('application/json') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'application/json; charset=utf-8',
          'application/problem+json',
          'text/plain',
          'application/json; charset=latin1',
        ),
      },
    );
    const body: fc.Arbitrary<RawBody> = fc.oneof(
      { weight: 3, arbitrary: mutatedLeadBody },
      { weight: 2, arbitrary: hostileJsonBody },
    );

    it.each([
      ['plain', 1_500],
      ['hmac', 700],
      ['ed25519', 700],
    ] as const)(
      'account with %s signatures',
      async (kind, runs) => {
        const account: HostileAccount = stack.accounts[kind];
        const row = tally.row(
          `gateway, ${kind === 'plain' ? 'plain account' : `${kind} account (signature required)`}`,
        );
        const label = `gateway ${kind}`;
        let caseNumber = 0;
        const signing: fc.Arbitrary<Signing> = account.signature
          ? fc.constantFrom('valid' as const, 'valid' as const, 'forged' as const, 'none' as const)
          : fc.constant('none' as const);

        const property = fc.asyncProperty(body, signing, contentType, async (raw, sign, type) => {
          await gatewayUp();
          caseNumber += 1;
          row.cases += 1;
          const answer = await postRaw(stack.pipeline.gatewayUrl, signedBody(raw, account, sign), {
            apiKey: account.apiKey,
            contentType: type,
          }).catch((error: unknown) => ({ status: 0, contentType: '', body: `no answer: ${String(error)}` }));
          if (caseNumber % SENTINEL_EVERY === 0)
            await sentinels.post(`${label} cases ${caseNumber - SENTINEL_EVERY + 1}–${caseNumber}`);
          if (answer.status === 0 || answer.status >= 500) {
            row.serverErrors += 1;
            throw new Error(`answered ${answer.status || 'nothing'}: ${answer.body.slice(0, 500)}`);
          }
          if (answer.status >= 400) {
            row.outcomes.refused += 1;
            const defect = problemDefect(answer);
            if (defect) throw new Error(`${answer.status} is not an RFC 9457 problem: ${defect}`);
          } else row.outcomes.stored += 1;
        });
        const details = await fc.check(property, propertyParameters(settings, runs));
        await sentinels.post(`${label} after the last case`);
        await expectSettled(label, details, row);
      },
      TEST_TIMEOUT_MS,
    );
  });

  describe('raw records in every input topic end stored, dead-lettered or refused, and leads still flow', () => {
    // Shrinking is off here: a consumer that stalls stays stalled, so every smaller run would fail for
    // the same reason. The tracker names the exact record each stalled group stopped at instead.
    it.each([
      [TOPICS.leadReceived, 20],
      [TOPICS.leadEnriched, 25],
      [TOPICS.leadDelivery, 15],
    ] as Array<[MainTopic, number]>)(
      '%s',
      async (topic, runs) => {
        const row = tally.row(`${topic} → ${groupsOf(topic).join(', ')}`);
        let run = 0;
        const property = fc.asyncProperty(
          fc.array(hostileRecord(topic), { minLength: 1, maxLength: 30 }),
          async (records) => {
            run += 1;
            const injected = await tracker.inject(topic, records);
            await sentinels.post(`${topic} run ${run}`);
            const { outcomes, stalls } = await tracker.track(injected, settings.livenessMs);
            row.cases += records.length;
            for (const { outcome } of outcomes) row.outcomes[outcome] += 1;
            if (stalls.length > 0) {
              row.stalls += stalls.length;
              await tracker.skipStalledRecords(stalls);
              throw new Error(
                `not settled within ${settings.livenessMs} ms:\n${stalls.map(describeStall).join('\n')}`,
              );
            }
          },
        );
        const details = await fc.check(property, {
          ...propertyParameters(settings, runs),
          endOnFailure: true,
        });
        await expectSettled(topic, details, row);
      },
      TEST_TIMEOUT_MS,
    );
  });
});
