import { CONNECTORS, connectorAppOf } from '@lead-delivery/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stackServices } from './services';

const root = join(__dirname, '..', '..');
const services = (offset = 0) =>
  stackServices({ root, offset, kafkaBrokers: '127.0.0.1:9092', databaseUrl: 'postgres://local/db' });

const fail = (id: string): never => {
  throw new Error(`no service for connector ${id}`);
};

describe('local stack services', () => {
  it('runs one connector per registry entry, on its port, pointed at the CRM sandbox, with its accounts file', () => {
    const all = services(100);
    const sandbox = all.find(({ name }) => name === 'crm-sandbox');
    const connectors = all.filter(({ name }) => name.startsWith('connector-'));
    expect(connectors.map(({ name }) => name)).toEqual(CONNECTORS.map(({ id }) => connectorAppOf(id)));
    for (const { id, localPort, crmUrlEnv } of CONNECTORS) {
      const { env, script, ready } = all.find(({ name }) => name === connectorAppOf(id)) ?? fail(id);
      expect(env['PORT']).toBe(String(localPort + 100));
      expect(ready).toBe(`http://127.0.0.1:${localPort + 100}/health/ready`);
      expect(env[crmUrlEnv]).toBe(sandbox?.url);
      expect(script).toBe(join(root, 'dist', 'apps', `connector-${id}`, 'main.js'));
      expect(existsSync(env['CONNECTOR_ACCOUNTS_FILE'] ?? '')).toBe(true);
    }
  });

  it('gives every listener its own port', () => {
    const ports = services().flatMap(({ env }) => [env['PORT'], env['READ_API_PORT']].filter(Boolean));
    expect(new Set(ports).size).toBe(ports.length);
  });

  it("links each local account's CRM records, Follow Up Boss included, as the console shows them", () => {
    const persistence = services().find(({ name }) => name === 'persistence');
    const links = JSON.parse(persistence?.env['CRM_RECORD_LINKS'] ?? '{}');
    expect(links).toEqual({
      salesforce: {
        accounts: {
          'acct-austin-brokerage': 'https://austin-brokerage.lightning.force.com/lightning/r/{id}/view',
          'acct-solo-agent': 'https://solo-agent.lightning.force.com/lightning/r/{id}/view',
        },
      },
      hubspot: {
        accounts: {
          'acct-austin-brokerage': 'https://app.hubspot.com/contacts/20000001/record/0-1/{id}',
          'acct-solo-agent': 'https://app.hubspot.com/contacts/20000002/record/0-1/{id}',
        },
      },
      followupboss: {
        accounts: {
          'acct-austin-brokerage': 'https://austin-brokerage.followupboss.com/2/people/view/{id}',
          'acct-solo-agent': 'https://solo-agent.followupboss.com/2/people/view/{id}',
        },
      },
    });
    expect(Object.keys(links)).toEqual(CONNECTORS.map(({ id }) => id).filter((id) => id in links));
  });
});
