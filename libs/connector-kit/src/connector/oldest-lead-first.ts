import type { DeliveryRecord } from './crm-connector';

export interface PositionedRecord<Mapped> {
  record: DeliveryRecord<Mapped>;
  /** Its position in the batch, which the CRM's answer refers to. */
  index: number;
}

/**
 * A batch's records from the oldest lead to the newest, for connectors that merge one person's records
 * into one CRM write (the latest inquiry wins). Times are compared as instants, so offsets other than `Z`
 * order correctly; a timestamp that does not parse sorts first. Equal times keep the batch's order.
 */
export function oldestLeadFirst<Mapped>(
  records: readonly DeliveryRecord<Mapped>[],
): PositionedRecord<Mapped>[] {
  return records
    .map((record, index) => {
      const at = Date.parse(record.event.lead.timestamp);
      return { record, index, at: Number.isNaN(at) ? -Infinity : at };
    })
    .sort((a, b) => (a.at === b.at ? a.index - b.index : a.at - b.at))
    .map(({ record, index }) => ({ record, index }));
}
