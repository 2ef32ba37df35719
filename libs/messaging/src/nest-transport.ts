// The Nest custom transport (@ConsumeTopic handlers on KafkaBatchTransport), for the apps that consume
// through Nest (persistence, enrichment). It requires @nestjs/microservices; an app bundle that imports only
// the main entry does not, so its generated package.json does not list it and @nestjs/core never loads it.
export * from './nest/kafka-batch.transport';
