import { LEAD_ENRICHED_V1 } from '@lead-delivery/contracts';
import { createHash } from 'node:crypto';

// Namespace of the platform's derived event ids (a random UUID, fixed forever).
const NAMESPACE = Buffer.from('6f1c2a0e9b7d4c4e8a5f3d2b1c0e9f8a', 'hex');

/**
 * The CloudEvents id of the enriched event made from received event `receivedId`: a name-based UUID
 * (RFC 9562 version 5) of that id and of the enriched value. A redelivered input gives the same value,
 * hence the same id, so downstream can drop the duplicate; the same lead enriched differently (another
 * scoring model or routing rules, a replay after a change) gives a new id, so it is not mistaken for one.
 */
export function enrichedEventId(receivedId: string, enrichedJson: string): string {
  const hash = createHash('sha1')
    .update(NAMESPACE)
    .update(`${receivedId}\n${LEAD_ENRICHED_V1.type}\n`, 'utf8')
    // Hashed apart: joined to the prefix, the whole JSON would be copied once more per lead.
    .update(enrichedJson, 'utf8')
    .digest()
    .subarray(0, 16);
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
