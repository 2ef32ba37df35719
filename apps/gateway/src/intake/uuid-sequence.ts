import { randomUUID } from 'node:crypto';

/**
 * UUID-shaped ids without drawing and formatting random bytes per id: one random version-4 UUID per
 * sequence whose last 12 hex digits count up. Ids of different processes differ by the 74 random bits of
 * their prefixes.
 */
export class UuidSequence {
  private readonly prefix = randomUUID().slice(0, 24);
  private count = 0;

  next(): string {
    const id = this.prefix + this.count.toString(16).padStart(12, '0');
    this.count += 1;
    return id;
  }
}
