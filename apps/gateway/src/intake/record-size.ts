import { jsonPointer } from '@lead-delivery/contracts';
import type { OutgoingRecord } from '@lead-delivery/messaging';

/** Bytes a record takes in a produce request, apart from the few bytes of framing per field. */
export function recordBytes({ key, value, headers }: OutgoingRecord): number {
  let bytes = Buffer.byteLength(key) + Buffer.byteLength(value);
  // A plain loop: this runs for every lead, and Object.entries would allocate an array per header.
  for (const name in headers) bytes += Buffer.byteLength(name) + Buffer.byteLength(headers[name] as string);
  return bytes;
}

/** The top-level field of a body that takes the most bytes as JSON: what a sender should shorten first. */
export function largestField(body: Record<string, unknown>): { pointer: string; bytes: number } {
  let largest = { pointer: '', bytes: 0 };
  for (const [key, value] of Object.entries(body)) {
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
    if (bytes > largest.bytes) largest = { pointer: jsonPointer('', key), bytes };
  }
  return largest;
}
