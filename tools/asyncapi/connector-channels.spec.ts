import { Parser } from '@asyncapi/parser';
import { CONNECTORS, CONSUMERS, TOPICS, connectorAppOf, type ConnectorEntry } from '@lead-delivery/contracts';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { renderLeadPlatformAsyncApi, type Registry } from './connector-channels';
import { catalogueTopics, documentedTopics } from './documented-topics';
import { ASYNCAPI_FILE } from './event-schemas';

// The generator of the document's connector regions, on the committed document and on registries that
// differ from libs/contracts' (a connector fewer, a connector more).

const committed = readFileSync(ASYNCAPI_FILE, 'utf8');

const pipedrive: ConnectorEntry = {
  id: 'pipedrive',
  displayName: 'Pipedrive',
  localPort: 3099,
  crmUrlEnv: 'PIPEDRIVE_BASE_URL',
};
const withPipedrive: Registry = {
  connectors: [...CONNECTORS, pipedrive],
  consumers: [
    ...CONSUMERS,
    { group: connectorAppOf(pipedrive.id), topics: [TOPICS.leadEnriched], delayedRetry: true },
  ],
};
const withoutFollowupboss: Registry = {
  connectors: CONNECTORS.filter(({ id }) => id !== 'followupboss'),
  consumers: CONSUMERS.filter(({ group }) => group !== connectorAppOf('followupboss')),
};

describe('renderLeadPlatformAsyncApi', () => {
  it("rewrites a stale document's generated regions and leaves the hand-written rest as it is", () => {
    const stale = renderLeadPlatformAsyncApi(committed, withoutFollowupboss);
    expect(stale).not.toMatch(/followupboss|Follow Up Boss/);
    const handEdited = `${stale}# a note written by hand\n`;
    expect(renderLeadPlatformAsyncApi(handEdited)).toBe(`${committed}# a note written by hand\n`);
  });

  it("documents a new connector's topics and consumer group with no hand edit", async () => {
    const rendered = renderLeadPlatformAsyncApi(committed, withPipedrive);
    const document = parse(rendered) as Record<string, unknown>;
    expect(documentedTopics(document)).toEqual(catalogueTopics(withPipedrive.consumers));
    expect(documentedTopics(document).map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'crm.erasure-requested.v1.dlq.connector-pipedrive-erasure',
        'leads.enriched.v1.dlq.connector-pipedrive',
        'leads.enriched.v1.retry.connector-pipedrive',
      ]),
    );
    expect(rendered).toContain('title: Erasure requests the Pipedrive connector gave up on');
    const { diagnostics } = await new Parser().parse(rendered);
    expect(diagnostics.map(({ message, path }) => `${message} at ${path.join('.')}`)).toEqual([]);
  });

  it('refuses a document whose markers are missing or doubled', () => {
    const withoutEnd = committed.replace(/^ *# END GENERATED connector-channels\n/m, '');
    expect(() => renderLeadPlatformAsyncApi(withoutEnd)).toThrow(/END GENERATED connector-channels/);
    const doubled = committed.replace(
      /^( *# BEGIN GENERATED consumer-groups.*\n)/m,
      '$1    # BEGIN GENERATED consumer-groups\n',
    );
    expect(() => renderLeadPlatformAsyncApi(doubled)).toThrow(/BEGIN GENERATED consumer-groups/);
  });
});
