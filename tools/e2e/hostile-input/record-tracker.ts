// Produces hostile records straight into a consumer's input topic and follows each one, for every
// consumer group of that topic, to its end: stored (its effect is visible), dead-lettered (a copy on the
// group's DLQ topic names its position) or refused (the group committed past it and did nothing). A
// record a group has not passed within the liveness bound is a stall; the tracker then names the record
// the group stopped at and moves the group past it, so that the suite can go on.
import { CONSUMERS, HEADERS, dlqTopicOf, type MainTopic, TOPICS } from '@lead-delivery/contracts';
import { fetchGroupOffsets } from '@lead-delivery/messaging';
import { TopicRecorder, type RecordedMessage } from '@lead-delivery/testing';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { Pipeline } from '../pipeline';
import type { HostileRecord } from './kafka-record.arbitrary';

export type Outcome = 'stored' | 'dead-lettered' | 'refused';

const EVENT_TYPES: Record<MainTopic, string> = {
  [TOPICS.leadReceived]: 'lead-delivery.lead.received.v1',
  [TOPICS.leadEnriched]: 'lead-delivery.lead.enriched.v1',
  [TOPICS.leadDelivery]: 'lead-delivery.lead.delivery.v1',
};
const SOURCE = '/hostile-input';
const POLL_MS = 500;

export interface InjectedRecord {
  topic: MainTopic;
  partition: number;
  offset: number;
  /** Trace id of its traceparent: outputs derived from it carry the same one. */
  traceId: string;
  headers: Record<string, string>;
  record: HostileRecord;
}

export interface Stall {
  group: string;
  topic: string;
  partition: number;
  offset: number;
  /** What sits at that offset: one of ours (as generated) or a record the platform produced. */
  record: HostileRecord | RecordedMessage | undefined;
  serviceAlive: boolean;
  /** The group committed past it but its outcome never became final (e.g. parked for good). */
  unfinished?: boolean;
}

export interface TrackResult {
  outcomes: Array<{ injected: InjectedRecord; group: string; outcome: Outcome }>;
  stalls: Stall[];
}

const position = (topic: string, partition: number, offset: number | string) =>
  `${topic}/${partition}@${offset}`;
const traceIdOf = (headers: Record<string, string>) => headers[HEADERS.traceparent]?.split('-')[1];
const isAlive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const groupsOf = (topic: string) =>
  CONSUMERS.filter((consumer) => (consumer.topics as readonly string[]).includes(topic)).map(
    (consumer) => consumer.group,
  );
const isConnector = (group: string) => group.startsWith('connector-');

export class RecordTracker {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly recorder: TopicRecorder;
  /** Every record we produced, by position: excluded when looking for outputs. */
  private readonly injected = new Map<string, InjectedRecord>();

  constructor(private readonly pipeline: Pipeline) {
    this.kafka = new Kafka({
      clientId: 'hostile-input',
      brokers: [pipeline.broker.brokers],
      logLevel: logLevel.NOTHING,
    });
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    this.admin = this.kafka.admin();
    this.recorder = new TopicRecorder(this.kafka);
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.admin.connect();
    const dlqs = CONSUMERS.flatMap((consumer) =>
      consumer.topics.map((topic) => dlqTopicOf(topic, consumer.group)),
    );
    await this.recorder.start(TOPICS.leadReceived, TOPICS.leadEnriched, TOPICS.leadDelivery, ...dlqs);
  }

  async stop(): Promise<void> {
    await this.recorder.stop();
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  /** Produces the records to `topic`, spread over its partitions, with CloudEvents headers (then edited). */
  async inject(topic: MainTopic, records: HostileRecord[]): Promise<InjectedRecord[]> {
    const [metadata] = (await this.admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const partitions = metadata?.partitions.length ?? 1;
    const prepared = records.map((record, index) => ({
      record,
      partition: index % partitions,
      traceId: randomUUID().replace(/-/g, ''),
      headers: this.headersOf(topic, record),
    }));
    for (const item of prepared)
      item.headers[HEADERS.traceparent] =
        `00-${item.traceId}-${randomUUID().slice(0, 8)}${randomUUID().slice(0, 8)}-01`;
    const written = await this.producer.send({
      topic,
      acks: -1,
      messages: prepared.map(({ record, partition, headers }) => ({
        partition,
        key: record.key,
        value: record.value === null ? null : Buffer.from(record.value),
        headers,
      })),
    });
    const nextOffset = new Map(written.map((meta) => [meta.partition, Number(meta.baseOffset)]));
    return prepared.map(({ record, partition, traceId, headers }) => {
      const offset = nextOffset.get(partition) as number;
      nextOffset.set(partition, offset + 1);
      const injected: InjectedRecord = { topic, partition, offset, traceId, headers, record };
      this.injected.set(position(topic, partition, offset), injected);
      return injected;
    });
  }

  /** Waits until every group of their topic has settled every record, or the bound has passed. */
  async track(records: InjectedRecord[], boundMs: number): Promise<TrackResult> {
    const deadline = Date.now() + boundMs;
    for (;;) {
      const { outcomes, pending } = await this.classify(records);
      if (pending.length === 0) return { outcomes, stalls: [] };
      if (Date.now() > deadline) {
        const stalls = await this.stallsOf(pending);
        return { outcomes, stalls };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * Stalls of the whole platform: every group and input topic whose committed offset is behind the end
   * and did not move for `windowMs`. For when a sentinel did not arrive although no record of ours is
   * pending (e.g. a lead the gateway accepted stopped a consumer).
   */
  async stuckGroups(windowMs = 5_000): Promise<Stall[]> {
    const positions = async () => {
      const found = new Map<
        string,
        { group: string; topic: string; partition: number; at: number; high: number }
      >();
      for (const topic of Object.values(TOPICS)) {
        const ends = await this.admin.fetchTopicOffsets(topic);
        for (const group of groupsOf(topic)) {
          const committed = await this.committed(group, topic);
          for (const { partition, high, low } of ends) {
            const at = Math.max(committed.get(partition) ?? Number(low), Number(low));
            found.set(`${group}|${topic}|${partition}`, { group, topic, partition, at, high: Number(high) });
          }
        }
      }
      return found;
    };
    const before = await positions();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = await positions();
    return [...after.entries()]
      .filter(([key, { at, high }]) => at < high && before.get(key)?.at === at)
      .map(([, { group, topic, partition, at }]) => this.stallAt(group, topic, partition, at));
  }

  /**
   * Moves each stalled group past the record it stopped at (stop its service, commit the next offset,
   * start it again), as an operator would after dead-lettering it by hand.
   */
  async skipStalledRecords(all: Stall[]): Promise<void> {
    const stalls = all.filter((stall) => !stall.unfinished);
    for (const group of new Set(stalls.map((stall) => stall.group))) {
      const service = group;
      await this.pipeline.stack.stop(service, { timeoutMs: 10_000 });
      for (const stall of stalls.filter((candidate) => candidate.group === group)) {
        await this.admin.setOffsets({
          groupId: group,
          topic: stall.topic,
          partitions: [{ partition: stall.partition, offset: String(stall.offset + 1) }],
        });
      }
      this.pipeline.stack.start(service);
      await this.pipeline.stack.waitReady(service);
    }
  }

  private headersOf(topic: MainTopic, record: HostileRecord): Record<string, string> {
    const headers: Record<string, string> = {
      [HEADERS.ceSpecVersion]: '1.0',
      [HEADERS.ceId]: randomUUID(),
      [HEADERS.ceType]: EVENT_TYPES[topic],
      [HEADERS.ceSource]: SOURCE,
      [HEADERS.ceTime]: new Date().toISOString(),
      [HEADERS.ceSubject]: record.key ?? 'hostile',
      [HEADERS.contentType]: 'application/json',
      [HEADERS.accountId]: record.accountId,
      [HEADERS.leadKind]: 'enhanced',
    };
    for (const edit of record.headerEdits) {
      if ('drop' in edit) delete headers[edit.header];
      else headers[edit.header] = edit.value;
    }
    return headers;
  }

  private async committed(group: string, topic: string): Promise<Map<number, number>> {
    const offsets = await fetchGroupOffsets(this.admin, group, topic);
    return new Map(offsets.map(({ partition, offset }) => [partition, Number(offset)]));
  }

  private async classify(records: InjectedRecord[]) {
    const deadLetters = new Set<string>();
    const enrichedTraces = new Set<string>();
    const deliveries = new Map<string, string>(); // traceId/destination → last outcome
    for (const message of this.recorder.records) {
      const { headers } = message;
      if (message.topic.includes('.dlq.'))
        deadLetters.add(
          `${headers[HEADERS.consumerGroup]}|${position(headers[HEADERS.originalTopic] ?? '', Number(headers[HEADERS.originalPartition]), headers[HEADERS.originalOffset] ?? '')}`,
        );
      else if (!this.injected.has(position(message.topic, message.partition, message.offset))) {
        const traceId = traceIdOf(headers);
        if (!traceId) continue;
        if (message.topic === TOPICS.leadEnriched) enrichedTraces.add(traceId);
        if (message.topic === TOPICS.leadDelivery) {
          const value = JSON.parse(message.value ?? '{}') as { destination?: string; outcome?: string };
          deliveries.set(`${traceId}/${value.destination}`, value.outcome ?? '');
        }
      }
    }
    // By the headers each record really carried (ce_source too may have been edited).
    const stored = new Set(
      (
        await this.pipeline.query<{ event_source: string; event_id: string }>(
          'SELECT event_source, event_id FROM lead_events WHERE event_id = ANY($1)',
          [records.map((record) => record.headers[HEADERS.ceId] ?? '')],
        )
      ).map((row) => `${row.event_source}|${row.event_id}`),
    );
    const eventKey = ({ headers }: InjectedRecord) => `${headers[HEADERS.ceSource]}|${headers[HEADERS.ceId]}`;

    const outcomes: TrackResult['outcomes'] = [];
    const pending: Array<{ injected: InjectedRecord; group: string }> = [];
    const committed = new Map<string, Map<number, number>>();
    for (const injected of records) {
      for (const group of groupsOf(injected.topic)) {
        const key = `${group}|${injected.topic}`;
        if (!committed.has(key)) committed.set(key, await this.committed(group, injected.topic));
        const passed = (committed.get(key)?.get(injected.partition) ?? -1) > injected.offset;
        const delivery = deliveries.get(`${injected.traceId}/${group.replace('connector-', '')}`);
        let outcome: Outcome | undefined;
        if (deadLetters.has(`${group}|${position(injected.topic, injected.partition, injected.offset)}`))
          outcome = 'dead-lettered';
        else if (passed && !(isConnector(group) && (delivery === 'failed' || delivery === 'dead_lettered')))
          outcome =
            (group === 'persistence' && stored.has(eventKey(injected))) ||
            (group === 'enrichment' && enrichedTraces.has(injected.traceId)) ||
            (isConnector(group) && delivery === 'delivered')
              ? 'stored'
              : 'refused';
        if (outcome) outcomes.push({ injected, group, outcome });
        else pending.push({ injected, group });
      }
    }
    return { outcomes, pending };
  }

  /** For each group and partition with pending records: the offset its committed position is stuck at. */
  private async stallsOf(pending: Array<{ injected: InjectedRecord; group: string }>): Promise<Stall[]> {
    const stalls = new Map<string, Stall>();
    for (const { injected, group } of pending) {
      const key = `${group}|${injected.topic}|${injected.partition}`;
      if (stalls.has(key)) continue;
      const committed = (await this.committed(group, injected.topic)).get(injected.partition) ?? -1;
      const [end] = (await this.admin.fetchTopicOffsets(injected.topic)).filter(
        (offsets) => offsets.partition === injected.partition,
      );
      const at = committed >= 0 ? committed : Number(end?.low ?? 0);
      stalls.set(
        key,
        at > injected.offset
          ? { ...this.stallAt(group, injected.topic, injected.partition, injected.offset), unfinished: true }
          : this.stallAt(group, injected.topic, injected.partition, at),
      );
    }
    return [...stalls.values()];
  }

  private stallAt(group: string, topic: string, partition: number, offset: number): Stall {
    const at = position(topic, partition, offset);
    return {
      group,
      topic,
      partition,
      offset,
      record:
        this.injected.get(at)?.record ??
        this.recorder.records.find(
          (message) => position(message.topic, message.partition, message.offset) === at,
        ),
      serviceAlive: isAlive(this.pipeline.stack.pid(group)),
    };
  }
}
