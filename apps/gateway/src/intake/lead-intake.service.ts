import {
  LEAD_RECEIVED_V1,
  UncanonicalizableBodyError,
  findTooDeepJson,
  parseLead,
  verifyLeadSignature,
  type AcceptedLead,
  type FieldWarning,
  type LeadKind,
  type LeadReceivedV1,
} from '@lead-delivery/contracts';
import { LEAD_SPAN_ATTRIBUTES, cloudEventHeaders } from '@lead-delivery/messaging';
import { LOGGER } from '@lead-delivery/observability';
import { Inject, Injectable } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Account } from '../accounts/account';
import { GatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { Problems } from '../problems/problem.exception';
import { DurableIntake, type Durability } from './durable-intake.service';
import { largestField, recordBytes } from './record-size';

export interface LeadAccepted {
  status: 'accepted';
  lead_id: string;
  kind: LeadKind;
  warnings: FieldWarning[];
}

const SOURCE = '/gateway';

/**
 * Parse (bounded depth) → verify signature → validate → check the record size → make durable. Every refusal
 * is a specific 4xx problem; the answer is 2xx only once the lead is durable.
 */
@Injectable()
export class LeadIntakeService {
  constructor(
    private readonly durable: DurableIntake,
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async intake(
    account: Account,
    body: Buffer,
    { requestId, traceparent }: { requestId?: string; traceparent?: string } = {},
  ): Promise<{ accepted: LeadAccepted; durability: Durability }> {
    const json = this.parseJson(body);
    if (isJsonObject(json)) this.verifySignature(account, json);

    const parsed = parseLead(json, { mode: this.config.VALIDATION_MODE });
    if (!parsed.ok) {
      this.metrics.lead('invalid_lead');
      throw Problems.invalidLead(parsed.errors);
    }
    parsed.warnings.forEach((warning) => this.metrics.warning(warning.pointer, warning.action));
    trace.getActiveSpan()?.setAttributes({
      [LEAD_SPAN_ATTRIBUTES.leadId]: parsed.lead.lead_id,
      [LEAD_SPAN_ATTRIBUTES.accountId]: account.id,
    });

    const raw = json as Record<string, unknown>;
    const record = this.receivedRecord(account, parsed, raw, traceparent);
    const size = recordBytes(record);
    if (size > this.config.MAX_RECORD_BYTES) {
      this.metrics.lead('payload_too_large', parsed.kind);
      throw Problems.recordTooLarge(size, this.config.MAX_RECORD_BYTES, largestField(raw));
    }

    const durability = await this.durable.store(record);
    this.metrics.lead(durability === 'kafka' ? 'accepted_kafka' : 'accepted_outbox', parsed.kind);
    this.logger.info(
      {
        reqId: requestId,
        accountId: account.id,
        leadId: parsed.lead.lead_id,
        kind: parsed.kind,
        warnings: parsed.warnings.length,
        durability,
      },
      'lead accepted',
    );
    return {
      accepted: {
        status: 'accepted',
        lead_id: parsed.lead.lead_id,
        kind: parsed.kind,
        warnings: parsed.warnings,
      },
      durability,
    };
  }

  private parseJson(body: Buffer): unknown {
    const text = body.toString('utf8');
    // Before parsing: what walks parsed JSON (validation, canonicalisation, serialisation) recurses.
    const tooDeep = findTooDeepJson(text, this.config.MAX_JSON_DEPTH);
    if (tooDeep !== undefined) {
      this.metrics.lead('invalid_lead');
      throw Problems.jsonTooDeep(tooDeep, this.config.MAX_JSON_DEPTH);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      this.metrics.lead('malformed_json');
      throw Problems.malformedJson((error as Error).message);
    }
  }

  private verifySignature(account: Account, body: Record<string, unknown>): void {
    const policy = account.signature;
    if (policy.mode === 'off') return;
    const signature = body['digital_signature'];
    if (signature === undefined && policy.mode === 'optional') return;
    if (signature === undefined || signature === null || signature === '') {
      this.metrics.lead('bad_signature');
      throw Problems.missingSignature();
    }
    if (typeof signature !== 'string' || !this.verifies(body, signature, policy)) {
      this.metrics.lead('bad_signature');
      throw Problems.badSignature();
    }
  }

  private verifies(
    body: Record<string, unknown>,
    signature: string,
    { algorithm, keys }: Extract<Account['signature'], { algorithm: unknown }>,
  ): boolean {
    try {
      return verifyLeadSignature(body, signature, algorithm, keys);
    } catch (error) {
      if (!(error instanceof UncanonicalizableBodyError)) throw error;
      this.metrics.lead('invalid_lead');
      throw Problems.uncanonicalizableBody(error.pointer, error.reason);
    }
  }

  private receivedRecord(
    account: Account,
    parsed: AcceptedLead,
    raw: Record<string, unknown>,
    traceparent?: string,
  ) {
    const value: LeadReceivedV1 = { ...parsed.lead, warnings: parsed.warnings, raw };
    return {
      topic: LEAD_RECEIVED_V1.topic,
      key: LEAD_RECEIVED_V1.key(value),
      value: JSON.stringify(value),
      headers: cloudEventHeaders(LEAD_RECEIVED_V1, value, SOURCE, {
        accountId: account.id,
        leadKind: parsed.kind,
        traceparent,
      }),
    };
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
