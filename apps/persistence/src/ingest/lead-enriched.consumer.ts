import { TOPICS } from '@lead-delivery/contracts';
import type { ConsumedRecord } from '@lead-delivery/messaging';
import { ConsumeTopic } from '@lead-delivery/messaging/nest-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { decodeEnriched } from './lead-event.decoder';
import { LeadHistoryWriter } from './lead-history.writer';

@Controller()
export class LeadEnrichedConsumer {
  constructor(private readonly writer: LeadHistoryWriter) {}

  @ConsumeTopic(TOPICS.leadEnriched)
  handle(@Payload() records: ConsumedRecord[]): Promise<void> {
    return this.writer.writeEnriched(records.map(decodeEnriched));
  }
}
