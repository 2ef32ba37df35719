// What bench-clients.worker.ts needs of a Kafka client; one implementation per client under test.

export interface BenchRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface ClientUnderTest {
  /** Connects an idempotent producer (acks=all) as the apps would configure it. */
  connectProducer(): Promise<void>;
  /** Resolves once the broker acknowledged every record (acks=all). */
  send(topic: string, records: BenchRecord[]): Promise<void>;
  disconnectProducer(): Promise<void>;
  /** Joins `groupId`, reads `topic` from the earliest offset and calls `onRecords` per fetched batch. */
  consume(topic: string, groupId: string, onRecords: (count: number) => void): Promise<void>;
  disconnectConsumer(): Promise<void>;
}
