// `@lead-delivery/contracts/validation`: parseLead and the lead DTOs. Needs the package's optional peers
// ajv, ajv-formats, class-validator, class-transformer and reflect-metadata.
export * from './inbound/lead.dto';
export * from './inbound/spec-formats';
export * from './parse-lead/parse-lead';
export * from './parse-lead/json-depth';
export * from './events/event-decoders';
