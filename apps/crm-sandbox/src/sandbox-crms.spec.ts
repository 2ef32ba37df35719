import { CONNECTOR_IDS } from '@lead-delivery/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSandboxConfig } from './app.config';
import { crmOfPath } from './common/crm';
import { EMULATED_CRMS, SANDBOX_CRMS, type SandboxCrm } from './sandbox-crms';
import { startTestSandbox, type TestSandbox } from './test-support/sandbox';

describe('the sandbox CRMs come from the connector registry', () => {
  let sandbox: TestSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  it('emulates every connector of the registry, each from its own folder src/<id>', () => {
    expect(EMULATED_CRMS).toEqual(CONNECTOR_IDS);
    for (const crm of EMULATED_CRMS) expect(existsSync(join(__dirname, crm))).toBe(true);
  });

  it("loads each CRM's settings under its id", () => {
    const config = loadSandboxConfig({});
    expect(Object.keys(config).sort()).toEqual(['sandbox', ...EMULATED_CRMS].sort());
  });

  it("loads each CRM's module, whose API calls the request log files under that CRM", async () => {
    const config = loadSandboxConfig({});
    for (const crm of EMULATED_CRMS) {
      const entry: SandboxCrm<object> = SANDBOX_CRMS[crm];
      const { controllers = [] } = entry.module(config[crm], config.sandbox);
      expect(controllers.length).toBeGreaterThan(0);
      for (const controller of controllers)
        expect(sandbox.app.get(controller, { strict: false })).toBeDefined();

      const path = `${SANDBOX_CRMS[crm].apiPath}no-such-endpoint`;
      expect(crmOfPath(path)).toBe(crm);
      await sandbox.call('DELETE', '/sandbox/requests');
      await sandbox.call('GET', path);
      const counts = await sandbox.call('GET', `/sandbox/requests/counts?crm=${crm}`);
      expect(counts.body.total).toBe(1);
    }
    expect(crmOfPath('/sandbox/requests')).toBeUndefined();
  });
});
