import {
  LEAD_RECEIVED_V1,
  parseLead,
  verifyLeadSignature,
  type AcceptedLead,
  type FieldWarning,
  type LeadKind,
  type LeadReceivedV1,
} from '@lead-delivery/contracts';
import { cloudEventHeaders } from '@lead-delivery/messaging';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Account } from '../accounts/account';
import { GatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { Problems } from '../problems/problem.exception';
import { DurableIntake, type Durability } from './durable-intake.service';

export interface LeadAccepted {
  status: 'accepted';
  lead_id: string;
  kind: LeadKind;
  warnings: FieldWarning[];
}

const SOURCE = '/gateway';

/** Parse → verify signature → validate → make durable. Every refusal is a specific problem. */
@Injectable()
export class LeadIntakeService {
  constructor(
    private readonly durable: DurableIntake,
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    // Request-scoped through AsyncLocalStorage: its lines carry the request id.
    private readonly logger: PinoLogger,
  ) {}

  async intake(
    account: Account,
    body: Buffer,
    traceparent?: string,
  ): Promise<{ accepted: LeadAccepted; durability: Durability }> {
    const json = this.parseJson(body);
    if (isJsonObject(json)) this.verifySignature(account, json);

    const parsed = parseLead(json, { mode: this.config.VALIDATION_MODE });
    if (!parsed.ok) {
      this.metrics.lead('invalid_lead');
      throw Problems.invalidLead(parsed.errors);
    }
    parsed.warnings.forEach((warning) => this.metrics.warning(warning.pointer, warning.action));

    const durability = await this.durable.store(
      this.receivedRecord(account, parsed, json as Record<string, unknown>, traceparent),
    );
    this.metrics.lead(durability === 'kafka' ? 'accepted_kafka' : 'accepted_outbox', parsed.kind);
    this.logger.info(
      {
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
    try {
      return JSON.parse(body.toString('utf8'));
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
    if (
      typeof signature !== 'string' ||
      !verifyLeadSignature(body, signature, policy.algorithm, policy.keys)
    ) {
      this.metrics.lead('bad_signature');
      throw Problems.badSignature();
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
