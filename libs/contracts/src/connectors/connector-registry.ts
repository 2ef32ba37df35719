// The CRM connectors of the platform: the one list the topic catalogue, the local stack, the CRM sandbox
// (one module per entry), its test client, the e2e reconciliation, compose, Kubernetes and the
// configuration reference derive theirs from. It lives in contracts because the topic catalogue (here,
// importing nothing) provisions each connector's topics, and every project may import contracts.
// Adding a CRM: its app (apps/connector-<id>), its sandbox module (apps/crm-sandbox/src/<id>), its local
// accounts file (config/local/connectors/<id>.json), one line below; then regenerate
// (npm run k8s:topics, npm run docs:config, npm run asyncapi:connectors). The connector generator does all of it.

export interface ConnectorEntry {
  /** The routing destination (`routing.destinations` of leads.enriched.v1, `destination` of leads.delivery.v1). */
  readonly id: string;
  readonly displayName: string;
  /** HTTP port of the connector in the local stack (health, metrics). */
  readonly localPort: number;
  /** The connector's variable holding its CRM's base URL: the local stack and compose point it at crm-sandbox. */
  readonly crmUrlEnv: string;
}

export const CONNECTORS = [
  { id: 'salesforce', displayName: 'Salesforce', localPort: 3003, crmUrlEnv: 'SALESFORCE_LOGIN_URL' },
  { id: 'hubspot', displayName: 'HubSpot', localPort: 3004, crmUrlEnv: 'HUBSPOT_BASE_URL' },
  { id: 'followupboss', displayName: 'Follow Up Boss', localPort: 3005, crmUrlEnv: 'FOLLOWUPBOSS_BASE_URL' },
] as const satisfies readonly ConnectorEntry[];

export type ConnectorId = (typeof CONNECTORS)[number]['id'];

export const CONNECTOR_IDS: readonly ConnectorId[] = CONNECTORS.map(({ id }) => id);

/** The connector's Nx project, image, Deployment, compose service and consumer group: `connector-<id>`. */
export const connectorAppOf = <Id extends string>(id: Id) => `connector-${id}` as const;

export const isConnectorId = (value: string): value is ConnectorId =>
  (CONNECTOR_IDS as readonly string[]).includes(value);
