import { DeadLetterDesk, type DlqStore } from '@lead-delivery/dead-letters';

/**
 * The DLQ CLI's operations (libs/dead-letters) for the read API, on a Kafka admin connected at first use:
 * the read API serves leads even while Kafka is unreachable.
 */
export class DeadLettersService {
  private readonly desk: DeadLetterDesk;
  private connecting: Promise<void> | undefined;

  constructor(private readonly store: DlqStore) {
    this.desk = new DeadLetterDesk(store);
  }

  async connected(): Promise<DeadLetterDesk> {
    this.connecting ??= this.store.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    await this.connecting;
    return this.desk;
  }

  async close(): Promise<void> {
    if (this.connecting) await this.store.close();
  }
}
