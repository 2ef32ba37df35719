import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import {
  delivered,
  type ConnectorLimits,
  type CrmConnector,
  type DeliveryBatch,
  type DeliveryContext,
  type DeliveryRecord,
  type RecordOutcome,
} from '../connector/crm-connector';
import type { ConnectorError } from '../connector/connector.error';
import { runStoreStatement } from '../store/store-statement';
import type { DeliveryLedger } from './delivery-ledger';
import { isNothingWritten } from './nothing-written';

/**
 * A connector behind the delivery ledger. Before a call: leads already `written` are settled as delivered
 * without a CRM call; the others go to the connector with `outcomeUnknown` false when this call recorded
 * their intent (never written) and true when an earlier call may have written them (its answer was lost),
 * so only those need the CRM lookup. After: the delivered ones are `written`; the new ones that failed
 * with nothing written (`nothingWritten`, thrown or per record) lose their intent again, so their retry
 * writes without a lookup. A lead stamped before the ledger started (plus a rollout margin) is never
 * taken as new: an older version may have written it. While the store is unavailable each statement is
 * retried in place (runStoreStatement): the call waits, its leads neither fail nor spend attempts.
 */
export class LedgeredConnector<Mapped> implements CrmConnector<Mapped> {
  readonly destination: string;
  readonly limits: ConnectorLimits;
  readonly credentialOf?: CrmConnector<Mapped>['credentialOf'];

  constructor(
    private readonly connector: CrmConnector<Mapped>,
    private readonly ledger: Pick<DeliveryLedger, 'begin' | 'written' | 'clearIntents' | 'trustedSince'>,
    private readonly logger: { warn(context: object, message: string): void },
  ) {
    this.destination = connector.destination;
    this.limits = connector.limits;
    const { credentialOf } = connector;
    if (credentialOf) this.credentialOf = (accountId) => credentialOf.call(connector, accountId);
  }

  map(event: LeadEnrichedV1): Mapped {
    return this.connector.map(event);
  }

  classify(error: unknown): ConnectorError {
    return this.connector.classify(error);
  }

  async deliver(batch: DeliveryBatch<Mapped>, context: DeliveryContext): Promise<RecordOutcome[]> {
    const { accountId, records } = batch;
    const statement = <T>(what: string, run: () => Promise<T>) =>
      runStoreStatement(run, { what, signal: context.signal, logger: this.logger });
    const trustedSince = await statement('read ledger epoch', () => this.ledger.trustedSince());
    const leadIds = [...new Set(records.map((record) => record.key))];
    const known = await statement('begin delivery', () => this.ledger.begin(accountId, leadIds));
    const outcomes: RecordOutcome[] = [];
    const toSend: { record: DeliveryRecord<Mapped>; index: number }[] = [];
    records.forEach((record, index) => {
      const entry = known.get(record.key);
      if (entry?.state === 'written') outcomes[index] = delivered(entry.crmRecordId);
      else {
        const neverWritten =
          entry?.state === 'new' && Date.parse(record.event.lead.timestamp) >= trustedSince;
        toSend.push({ record: { ...record, outcomeUnknown: !neverWritten }, index });
      }
    });
    if (toSend.length === 0) return outcomes;
    const fresh = [
      ...new Set(toSend.filter(({ record }) => !record.outcomeUnknown).map(({ record }) => record.key)),
    ];

    let sent: RecordOutcome[];
    try {
      sent = await this.connector.deliver(
        { accountId, records: toSend.map(({ record }) => record) },
        context,
      );
    } catch (error) {
      if (isNothingWritten(error)) {
        await statement('clear intents', () => this.ledger.clearIntents(accountId, fresh));
      }
      throw error;
    }

    const written = new Map<string, string>();
    const unwritten = new Set<string>();
    toSend.forEach(({ record, index }, position) => {
      const outcome = sent[position];
      if (!outcome) return;
      outcomes[index] = outcome;
      if (outcome.ok) written.set(record.key, outcome.crmRecordId);
      else if (!record.outcomeUnknown && ('skipped' in outcome || isNothingWritten(outcome.error)))
        unwritten.add(record.key);
    });
    for (const key of written.keys()) unwritten.delete(key);
    const writtenLeads = [...written].map(([leadId, crmRecordId]) => ({ leadId, crmRecordId }));
    await Promise.all([
      statement('record written leads', () => this.ledger.written(accountId, writtenLeads)),
      statement('clear intents', () => this.ledger.clearIntents(accountId, [...unwritten])),
    ]);
    return outcomes;
  }
}
