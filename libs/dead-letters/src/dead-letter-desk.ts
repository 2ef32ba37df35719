import { HEADERS } from '@lead-delivery/contracts';
import {
  accountIdOf,
  leadIdOf,
  listRow,
  replayOf,
  selects,
  type DeadLetter,
  type ListRow,
  type Selection,
} from './dead-letter';
import type { DlqStore } from './dlq-store';
import { maskPii } from './pii-view';
import { emptyProgress, isReplayed, markReplayed, type PartitionProgress } from './replay-progress';

const REPLAY_CHUNK = 100;

export interface ReplayedLetter {
  partition: number;
  offset: string;
  accountId: string | null;
  leadId: string | null;
}

export interface ReplaySummary {
  /** Sent back to their source topic (or, on a dry run, those that would be). */
  replayed: Array<ReplayedLetter & { to: string }>;
  alreadyReplayed: number;
  notReplayable: Array<ReplayedLetter & { reason: string }>;
}

export type InspectView = ReturnType<typeof inspectView>;

/**
 * What an operator does with dead letters, for the DLQ CLI and the read API alike: list, inspect and
 * replay them. A replay is recorded (replay-progress) as it goes and never repeated.
 */
export class DeadLetterDesk {
  constructor(private readonly store: DlqStore) {}

  topics(): Promise<Array<{ topic: string; records: number }>> {
    return this.store.dlqTopics();
  }

  /** The dead letters selected, oldest first, the last `limit` of them; reasons masked unless `showPii`. */
  async list(topic: string, selection: Selection, options: { limit?: number; showPii?: boolean } = {}) {
    const { letters, replayed } = await this.read(topic);
    const rows: ListRow[] = letters
      .filter((letter) => selects(selection, letter))
      .map((letter) => listRow(letter, replayed(letter), { showPii: options.showPii ?? false }));
    return rows.slice(-(options.limit ?? rows.length));
  }

  async inspect(topic: string, selection: Selection, showPii: boolean): Promise<InspectView[]> {
    const { letters, replayed } = await this.read(topic);
    return letters
      .filter((letter) => selects(selection, letter))
      .map((letter) => inspectView(letter, replayed(letter), showPii));
  }

  /** Sends the selected dead letters not replayed before back to their source topic, recording each chunk. */
  async replay(
    topic: string,
    selection: Selection,
    options: { dryRun?: boolean } = {},
  ): Promise<ReplaySummary> {
    const { letters, replayed, progress } = await this.read(topic);
    const candidates = letters.filter((letter) => selects(selection, letter));
    const plans = candidates
      .filter((letter) => !replayed(letter))
      .map((letter) => ({ letter, plan: replayOf(letter) }));
    const sendable = plans.flatMap(({ letter, plan }) => (plan.ok ? [{ letter, record: plan.record }] : []));
    const summary: ReplaySummary = {
      replayed: sendable.map(({ letter, record }) => ({ ...idsOf(letter), to: record.topic })),
      alreadyReplayed: candidates.filter(replayed).length,
      notReplayable: plans.flatMap(({ letter, plan }) =>
        plan.ok ? [] : [{ ...idsOf(letter), reason: plan.reason }],
      ),
    };
    if (options.dryRun || sendable.length === 0) return summary;
    const writer = await this.store.progressWriter(topic);
    try {
      let current = new Map<number, PartitionProgress>(progress);
      for (let start = 0; start < sendable.length; start += REPLAY_CHUNK) {
        const chunk = sendable.slice(start, start + REPLAY_CHUNK);
        await this.store.send(chunk.map(({ record }) => record));
        current = advance(
          current,
          chunk.map(({ letter }) => letter),
        );
        await writer.save(current);
      }
    } finally {
      await writer.close();
    }
    return summary;
  }

  private async read(topic: string) {
    const letters = await this.store.read(topic);
    const progress = await this.store.progress(topic);
    const replayed = (letter: DeadLetter) =>
      isReplayed(progress.get(letter.partition) ?? emptyProgress(), BigInt(letter.offset));
    return { letters, progress, replayed };
  }
}

const idsOf = (letter: DeadLetter): ReplayedLetter => ({
  partition: letter.partition,
  offset: letter.offset,
  accountId: accountIdOf(letter),
  leadId: leadIdOf(letter),
});

function advance(
  progress: Map<number, PartitionProgress>,
  letters: DeadLetter[],
): Map<number, PartitionProgress> {
  const next = new Map(progress);
  for (const partition of new Set(letters.map((letter) => letter.partition))) {
    const offsets = letters
      .filter((letter) => letter.partition === partition)
      .map((letter) => BigInt(letter.offset));
    next.set(partition, markReplayed(next.get(partition) ?? emptyProgress(), offsets));
  }
  return next;
}

function inspectView(letter: DeadLetter, replayed: boolean, showPii: boolean) {
  const text = letter.value?.toString('utf8') ?? null;
  let value: unknown = text;
  try {
    value = text === null ? null : JSON.parse(text);
  } catch {
    // not JSON: shown as text
  }
  const reason = letter.headers[HEADERS.errorReason];
  return {
    topic: letter.topic,
    partition: letter.partition,
    offset: letter.offset,
    accountId: accountIdOf(letter),
    leadId: leadIdOf(letter),
    replayed,
    headers: showPii
      ? letter.headers
      : { ...letter.headers, ...(reason ? { [HEADERS.errorReason]: String(maskPii(reason)) } : {}) },
    value: showPii ? value : maskPii(value),
  };
}
