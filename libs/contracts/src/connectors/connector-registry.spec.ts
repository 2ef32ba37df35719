import { CONSUMERS, CONSUMER_GROUPS, TOPICS, topicCatalogue } from '../topics/topic-catalogue';
import { CONNECTORS, CONNECTOR_IDS, connectorAppOf, isConnectorId } from './connector-registry';

describe('connector registry', () => {
  it('has unique ids, spelled as connector ids (a routing destination, a Kubernetes name)', () => {
    expect(new Set(CONNECTOR_IDS).size).toBe(CONNECTORS.length);
    for (const id of CONNECTOR_IDS) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(isConnectorId('hubspot')).toBe(true);
    expect(isConnectorId('connector-hubspot')).toBe(false);
  });

  it('gives each connector its own local port and a CRM URL variable of its own', () => {
    const ports = CONNECTORS.map(({ localPort }) => localPort);
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(1024);
    const urls = CONNECTORS.map(({ crmUrlEnv }) => crmUrlEnv);
    expect(new Set(urls).size).toBe(urls.length);
    for (const name of urls) expect(name).toMatch(/^[A-Z][A-Z0-9_]*_URL$/);
    for (const { displayName } of CONNECTORS) expect(displayName.trim()).not.toBe('');
  });

  it('gives every connector, and only them, a consumer group of leads.enriched.v1 with delayed retries', () => {
    const connectorGroups = CONSUMERS.filter(({ delayedRetry }) => delayedRetry);
    expect(connectorGroups).toEqual(
      CONNECTOR_IDS.map((id) => ({
        group: connectorAppOf(id),
        topics: [TOPICS.leadEnriched],
        delayedRetry: true,
      })),
    );
    expect(Object.values(CONSUMER_GROUPS)).toEqual([
      'persistence',
      'enrichment',
      ...CONNECTOR_IDS.map((id) => `connector-${id}`),
    ]);
    expect(CONSUMER_GROUPS.connectorHubspot).toBe('connector-hubspot');
    const topics = topicCatalogue().map(({ name }) => name);
    for (const id of CONNECTOR_IDS) {
      expect(topics).toContain(`leads.enriched.v1.retry.connector-${id}`);
      expect(topics).toContain(`leads.enriched.v1.dlq.connector-${id}`);
      expect(topics).toContain(`crm.erasure-requested.v1.dlq.connector-${id}-erasure`);
    }
  });
});
