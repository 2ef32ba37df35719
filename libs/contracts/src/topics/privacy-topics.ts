/**
 * The privacy topics: how an erasure reaches the CRMs (persistence asks each connector, the connector
 * answers) without persistence calling a CRM or a connector reading the database. Their values carry CRM
 * record ids and lead ids, never an email or a phone.
 */
export const PRIVACY_TOPICS = {
  crmErasureRequested: 'crm.erasure-requested.v1',
  crmErasureCompleted: 'crm.erasure-completed.v1',
  identitySuppressed: 'identities.suppressed.v1',
} as const;
export type PrivacyTopic = (typeof PRIVACY_TOPICS)[keyof typeof PRIVACY_TOPICS];

/** The group in which a connector carries out erasures: apart from its deliveries, so neither waits on the other. */
export const erasureGroupOf = (destination: string) => `connector-${destination}-erasure`;
