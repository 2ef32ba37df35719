import { EMULATED_CRMS } from '../sandbox-crms';
import { startTestSandbox, type TestSandbox } from '../test-support/sandbox';

describe('lead copies: every emulated CRM lists them', () => {
  let sandbox: TestSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  it.each(EMULATED_CRMS)(
    'GET /sandbox/%s/lead-copies answers the list (none in a new sandbox)',
    async (crm) => {
      expect(await sandbox.call('GET', `/sandbox/${crm}/lead-copies`)).toMatchObject({
        status: 200,
        body: [],
      });
    },
  );
});
