import { CONSUMER_GROUPS, TOPICS } from '@lead-delivery/contracts';
import { anEnhancedLead, expectEventually, uniqueLeadId } from '@lead-delivery/testing';
import { randomBytes } from 'node:crypto';
import { LOCAL_OPERATOR_TOKEN } from '../stack/services';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { freshLead, startPipeline, type Pipeline } from './pipeline';

// The whole platform as separate processes, each exporting spans over OTLP/HTTP JSON to an in-process
// receiver. The batch processor's delay is longer than the test, so the spans only arrive through the
// export every app makes at shutdown.

const TRACED_SERVICES = ['gateway', 'enrichment', 'persistence', 'connector-hubspot', 'connector-salesforce'];
const ACCOUNT = { id: 'acct-austin-brokerage', apiKey: 'local-austin-key' };

describe('tracing: one trace per lead across the apps', () => {
  let receiver: OtlpReceiver;
  let pipeline: Pipeline | undefined;

  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    const tracing = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    };
    pipeline = await startPipeline(
      'tracing',
      25_000,
      Object.fromEntries(TRACED_SERVICES.map((service) => [service, tracing])),
    );
  }, 600_000);

  afterAll(async () => {
    await pipeline?.stop();
    await receiver?.stop();
  }, 120_000);

  it('follows a lead from the HTTP intake through Kafka and enrichment to the CRM calls and persistence', async () => {
    const running = pipeline as Pipeline;
    const lead = freshLead(anEnhancedLead({ lead_id: uniqueLeadId('traced') }));
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const response = await fetch(`${running.gatewayUrl}/lead-delivery`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': ACCOUNT.apiKey,
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify(lead),
    });
    expect(response.status).toBe(200);
    const destinations = await deliveredTo(running, lead.lead_id);
    expect(destinations).toContain('hubspot');

    // SIGTERM: each app exports what it has left.
    await running.stop();
    pipeline = undefined;

    const spans = receiver.trace(traceId);
    const one = (match: Partial<ReceivedSpan>, parent?: ReceivedSpan): ReceivedSpan => {
      const found = spans.filter(
        (span) =>
          Object.entries(match).every(([key, value]) => span[key as keyof ReceivedSpan] === value) &&
          (!parent || span.parentSpanId === parent.spanId),
      );
      expect({ match, parent: parent?.name, found: found.length }).toEqual({
        match,
        parent: parent?.name,
        found: 1,
      });
      return found[0] as ReceivedSpan;
    };
    const consumed = (service: string, topic: string, parent: ReceivedSpan) => {
      const span = one({ service, name: `process ${topic}`, kind: 'consumer' }, parent);
      expect(span.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.kafka.message.key': lead.lead_id,
        'lead_delivery.account_id': ACCOUNT.id,
      });
      return span;
    };

    const intake = one({ service: 'gateway', name: 'POST /lead-delivery', kind: 'server' });
    expect(intake.parentSpanId).toBe(callerSpanId);
    expect(intake.attributes).toMatchObject({
      'http.route': '/lead-delivery',
      'http.response.status_code': 200,
      'lead_delivery.lead_id': lead.lead_id,
    });
    const received = one(
      { service: 'gateway', name: `send ${TOPICS.leadReceived}`, kind: 'producer' },
      intake,
    );

    const enrichment = consumed('enrichment', TOPICS.leadReceived, received);
    expect(enrichment.attributes['messaging.consumer.group.name']).toBe(CONSUMER_GROUPS.enrichment);
    const enriched = one({ service: 'enrichment', name: `send ${TOPICS.leadEnriched}` }, enrichment);
    consumed('persistence', TOPICS.leadReceived, received);
    consumed('persistence', TOPICS.leadEnriched, enriched);

    for (const destination of destinations) {
      const service = `connector-${destination}`;
      const connector = consumed(service, TOPICS.leadEnriched, enriched);
      const call = one({ service, name: `deliver ${destination}`, kind: 'client' }, connector);
      expect(call.attributes).toMatchObject({
        'lead_delivery.lead_id': lead.lead_id,
        'lead_delivery.crm.records': 1,
      });
      // Each HTTP request of the CRM call (token, upsert, note lookups and creation) is its own span.
      const requests = spans.filter((span) => span.service === service && span.parentSpanId === call.spanId);
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) {
        expect(request).toMatchObject({ kind: 'client', name: request.attributes['http.request.method'] });
        expect(request.attributes).toMatchObject({
          'http.response.status_code': expect.any(Number),
          'server.address': '127.0.0.1',
          'url.path': expect.stringMatching(/^\//),
        });
        expect(request.attributes['url.query']).toMatch(/^([^=&]+=REDACTED(&|$))*$/);
      }
      const outcome = one({ service, name: `send ${TOPICS.leadDelivery}` }, connector);
      consumed('persistence', TOPICS.leadDelivery, outcome);
    }

    // Ids only: no contact data, no message, in the platform's spans or the HTTP requests' URLs.
    const values = spans.flatMap((span) => Object.values(span.attributes).map(String));
    const { email, first_name, last_name, phone } = lead.contact;
    const personal = [email, first_name, last_name, phone?.replace(/\D/g, ''), lead.message].flatMap(
      (value) =>
        value
          ? [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]
          : [],
    );
    expect(values.filter((value) => personal.some((form) => value.includes(form)))).toEqual([]);
  });
});

/** Waits until every CRM the lead is routed to has it delivered; returns those destinations. */
async function deliveredTo(pipeline: Pipeline, leadId: string): Promise<string[]> {
  const path = `/accounts/${ACCOUNT.id}/leads/${encodeURIComponent(leadId)}`;
  return expectEventually(
    async () => {
      const response = await fetch(`${pipeline.readApiUrl}${path}`, {
        headers: { authorization: `Bearer ${LOCAL_OPERATOR_TOKEN}` },
      });
      expect(response.status).toBe(200);
      const details = (await response.json()) as {
        lead: { destinations: string[] | null };
        deliveries: Array<{ destination: string; status: string }>;
      };
      const routed = details.lead.destinations ?? [];
      const delivered = details.deliveries.filter((delivery) => delivery.status === 'delivered');
      expect(routed.length).toBeGreaterThan(0);
      expect(delivered.map((delivery) => delivery.destination).sort()).toEqual([...routed].sort());
      return routed;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}
