// The published package's main entry point (`@lead-delivery/contracts`): types, the topic and header
// catalogue, the event definitions and the inbound JSON Schemas. It requires no other package, so a
// consumer of our topics installs nothing else.
export * from './inbound/lead.types';
export * from './inbound/enhanced-only-fields';
export * from './parse-lead/field-issues';
export * from './connectors/connector-registry';
export * from './topics/topic-catalogue';
export * from './topics/privacy-topics';
export * from './headers/header-names';
export * from './events/event-definition';
export * from './events/lead-received.v1';
export * from './events/lead-enriched.v1';
export * from './events/lead-delivery.v1';
export * from './events/crm-erasure.v1';
export * from './schemas/inbound-schemas';
