import { TOPICS } from '@lead-delivery/contracts';
import type { ConsumedRecord } from '@lead-delivery/messaging';
import { ConsumeTopic } from '@lead-delivery/messaging/nest-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { decodeReceived } from './lead-event.decoder';
import { LeadHistoryWriter } from './lead-history.writer';

@Controller()
export class LeadReceivedConsumer {
  constructor(private readonly writer: LeadHistoryWriter) {}

  @ConsumeTopic(TOPICS.leadReceived)
  handle(@Payload() records: ConsumedRecord[]): Promise<void> {
    return this.writer.writeReceived(records.map(decodeReceived));
  }
}
