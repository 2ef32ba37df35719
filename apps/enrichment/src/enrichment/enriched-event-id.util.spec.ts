import { enrichedEventId } from './enriched-event-id.util';

const VALUE = JSON.stringify({ lead: { lead_id: 'lead-1' }, enrichment: { score: 65, model_version: 'v1' } });

describe('enrichedEventId', () => {
  it('is a version 5 UUID, the same for the same received event and value', () => {
    const id = enrichedEventId('0f8e1c52-7b0a-4bd4-9a57-2f5b8f8f1e11', VALUE);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(enrichedEventId('0f8e1c52-7b0a-4bd4-9a57-2f5b8f8f1e11', VALUE)).toBe(id);
  });

  it('differs between received events', () => {
    const ids = new Set(
      Array.from({ length: 1_000 }, (_, index) => enrichedEventId(`event-${index}`, VALUE)),
    );
    expect(ids.size).toBe(1_000);
  });

  it('differs when the same event is enriched differently (e.g. by another model)', () => {
    const rescored = JSON.stringify({
      lead: { lead_id: 'lead-1' },
      enrichment: { score: 70, model_version: 'v2' },
    });
    expect(enrichedEventId('event-1', rescored)).not.toBe(enrichedEventId('event-1', VALUE));
  });
});
