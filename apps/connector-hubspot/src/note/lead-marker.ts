import { carriesLeadMarker, type LeadRef } from '@lead-delivery/connector-kit';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Whether a note body (HTML, as HubSpot stores it) has the lead's marker as a line of its own. Lines are
 * what `<br>` and block elements separate: the body the connector wrote, or the same text after a user
 * edited the note in HubSpot, which rewraps it in `<p>` or `<div>`.
 */
export function noteCarriesLeadMarker(body: string, lead: LeadRef): boolean {
  const text = body
    .replace(/<br\s*\/?>|<\/?(p|div|li|ul|ol|h[1-6])(\s[^>]*)?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X'))
        return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? entity;
    });
  return carriesLeadMarker(text, lead);
}
