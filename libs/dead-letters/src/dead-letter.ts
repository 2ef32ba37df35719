import { HEADERS } from '@lead-delivery/contracts';
import { REPLAYED_FROM_HEADER, replayedFrom, scrubPii } from '@lead-delivery/connector-kit/records';
import type { OutgoingRecord } from '@lead-delivery/messaging';

/** A record read from a dead-letter topic. */
export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

/** Headers the dead-lettering added; a replay drops them, so the record starts over as a fresh one. */
export const DEAD_LETTER_HEADERS: readonly string[] = [
  HEADERS.attempt,
  HEADERS.refusedCalls,
  HEADERS.notBefore,
  HEADERS.errorKind,
  HEADERS.errorReason,
  HEADERS.errorAt,
  HEADERS.originalTopic,
  HEADERS.originalPartition,
  HEADERS.originalOffset,
  HEADERS.consumerGroup,
];

export const leadIdOf = (letter: DeadLetter) => letter.key ?? letter.headers[HEADERS.ceSubject] ?? null;
export const accountIdOf = (letter: DeadLetter) => letter.headers[HEADERS.accountId] ?? null;

/**
 * Which dead letters a command acts on: an account's, one lead of an account (a lead is named by its
 * account and lead id: the same lead id can be two accounts' leads), those dead-lettered since a time.
 */
export interface Selection {
  accountId?: string;
  leadId?: string;
  since?: Date;
}

export function selects({ accountId, leadId, since }: Selection, letter: DeadLetter): boolean {
  return (
    (accountId === undefined || accountIdOf(letter) === accountId) &&
    (leadId === undefined || leadIdOf(letter) === leadId) &&
    (since === undefined || deadLetteredAt(letter) >= since)
  );
}

/** When the record was dead-lettered (`x-error-at`, else the record's own timestamp). */
export function deadLetteredAt(letter: DeadLetter): Date {
  const at = Date.parse(letter.headers[HEADERS.errorAt] ?? '');
  return new Date(Number.isNaN(at) ? Number(letter.timestamp) : at);
}

/** One line of `list`: ids and the failure, no personal data. */
export interface ListRow {
  partition: number;
  offset: string;
  leadId: string | null;
  accountId: string | null;
  kind: string | null;
  attempts: number | null;
  deadLetteredAt: string;
  replayed: boolean;
  reason: string | null;
  /** Set when the value was too large for the DLQ (the refusal, e.g. `MESSAGE_TOO_LARGE`): the letter holds a stub. */
  valueOmitted: string | null;
}

/** Reasons quote what the CRM rejected (an email, a phone): masked unless `showPii`. */
export function listRow(letter: DeadLetter, replayed: boolean, { showPii = false } = {}): ListRow {
  const attempts = letter.headers[HEADERS.attempt];
  const reason = letter.headers[HEADERS.errorReason];
  return {
    partition: letter.partition,
    offset: letter.offset,
    leadId: leadIdOf(letter),
    accountId: accountIdOf(letter),
    kind: letter.headers[HEADERS.errorKind] ?? null,
    attempts: attempts === undefined ? null : Number(attempts),
    deadLetteredAt: deadLetteredAt(letter).toISOString(),
    replayed,
    reason: reason === undefined ? null : showPii ? reason : scrubPii(reason),
    valueOmitted: letter.headers[HEADERS.valueOmitted] ?? null,
  };
}

/** The record a replay sends back to the source topic, or why it cannot. */
export function replayOf(
  letter: DeadLetter,
): { ok: true; record: OutgoingRecord } | { ok: false; reason: string } {
  const target = letter.headers[HEADERS.originalTopic];
  if (!target) return { ok: false, reason: `no ${HEADERS.originalTopic} header` };
  const omitted = letter.headers[HEADERS.valueOmitted];
  if (omitted !== undefined) {
    const partition = letter.headers[HEADERS.originalPartition] ?? '?';
    const offset = letter.headers[HEADERS.originalOffset] ?? '?';
    return {
      ok: false,
      reason:
        `the value was too large for the DLQ (${omitted}) and is not in it; the record is ` +
        `${target} partition ${partition} offset ${offset}, until that topic's retention removes it`,
    };
  }
  const headers = Object.fromEntries(
    Object.entries(letter.headers).filter(([name]) => !DEAD_LETTER_HEADERS.includes(name)),
  );
  headers[REPLAYED_FROM_HEADER] = replayedFrom(letter.topic, letter.partition, letter.offset);
  return {
    ok: true,
    record: { topic: target, key: letter.key ?? '', value: letter.value ?? Buffer.alloc(0), headers },
  };
}
