import { HEADERS } from '@lead-delivery/contracts';
import type { ConsumedRecord } from '@lead-delivery/messaging';

/** Set by the DLQ CLI on a record it replays: `<dlq topic>/<partition>/<offset>` of the dead letter. */
export const REPLAYED_FROM_HEADER = HEADERS.replayedFrom;

export const replayedFrom = (dlqTopic: string, partition: number, offset: string) =>
  `${dlqTopic}/${partition}/${offset}`;

/**
 * A replay goes back to the source topic, which every group reads; only the group whose DLQ it came
 * from should act on it again (another CRM already has the lead).
 */
export function isReplayForAnotherGroup(record: ConsumedRecord, ownDlqTopic: string): boolean {
  const origin = record.headers[REPLAYED_FROM_HEADER];
  return origin !== undefined && origin.split('/')[0] !== ownDlqTopic;
}
