// The naive baselines of `npm run bench:gateway`: a bare Fastify route that produces each request body to
// Kafka with its own send (acks=all) and answers when it is acknowledged. No auth, no validation, no batching.
// NAIVE_IDEMPOTENT=true: the idempotent producer a careful new user would pick (kafkajs then needs one
// request in flight); otherwise the fast variant: not idempotent, unlimited requests in flight.
import Fastify from 'fastify';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'bench-baseline',
  brokers: process.env.KAFKA_BROKERS.split(','),
  logLevel: logLevel.ERROR,
});
const idempotent = process.env.NAIVE_IDEMPOTENT === 'true';
const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
  ...(idempotent ? { idempotent: true, maxInFlightRequests: 1 } : {}),
});
await producer.connect();

const app = Fastify({ bodyLimit: 64 * 1024 });
app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
  done(null, body),
);
app.get('/health/ready', async () => ({ status: 'ok' }));
app.post('/lead-delivery', async (request) => {
  const body = request.body;
  const leadId = /"lead_id"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? 'unknown';
  await producer.send({ topic: 'leads.received.v1', acks: -1, messages: [{ key: leadId, value: body }] });
  return { status: 'accepted', lead_id: leadId };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });

process.once('SIGTERM', async () => {
  await app.close();
  await producer.disconnect();
  process.exit(0);
});
