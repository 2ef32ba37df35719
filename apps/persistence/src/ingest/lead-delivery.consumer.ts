import { TOPICS } from '@lead-delivery/contracts';
import type { ConsumedRecord } from '@lead-delivery/messaging';
import { ConsumeTopic } from '@lead-delivery/messaging/nest-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { decodeDelivery } from './lead-event.decoder';
import { LeadHistoryWriter } from './lead-history.writer';

@Controller()
export class LeadDeliveryConsumer {
  constructor(private readonly writer: LeadHistoryWriter) {}

  @ConsumeTopic(TOPICS.leadDelivery)
  handle(@Payload() records: ConsumedRecord[]): Promise<void> {
    return this.writer.writeDeliveries(records.map(decodeDelivery));
  }
}
