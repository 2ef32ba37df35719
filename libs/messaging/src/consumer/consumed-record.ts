import type { KafkaMessage } from 'kafkajs';
import { decodeHeaders, type DecodedHeaders } from '../cloud-events';

/** A record as handlers see it: headers decoded, value left as bytes. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: DecodedHeaders;
  timestamp: string;
}

export function toConsumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value,
    headers: decodeHeaders(message.headers),
    timestamp: message.timestamp,
  };
}
