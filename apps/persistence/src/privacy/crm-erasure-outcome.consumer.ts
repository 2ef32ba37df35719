import { PRIVACY_TOPICS } from '@lead-delivery/contracts';
import type { ConsumedRecord } from '@lead-delivery/messaging';
import { ConsumeTopic } from '@lead-delivery/messaging/nest-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CrmErasureOutcomes } from './crm-erasure-outcomes';

@Controller()
export class CrmErasureOutcomeConsumer {
  constructor(private readonly outcomes: CrmErasureOutcomes) {}

  @ConsumeTopic(PRIVACY_TOPICS.crmErasureCompleted)
  handle(@Payload() records: ConsumedRecord[]): Promise<void> {
    return this.outcomes.record(records);
  }
}
