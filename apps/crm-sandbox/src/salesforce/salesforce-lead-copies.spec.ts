import { lead, startTestSandbox, type TestSandbox } from '../test-support/sandbox';

const V = '/services/data/v62.0';
const ORG_A = '00D5e000000SbX1';
const ORG_B = '00D5e000000SbX2';
const marker = (leadId: string, account: string) => `Realtor.com lead id: ${leadId} (account ${account})`;

describe('Salesforce lead copies (GET /sandbox/salesforce/lead-copies)', () => {
  let sandbox: TestSandbox;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      SALESFORCE_ORGS: `${ORG_A}:client-a:secret-a,${ORG_B}:client-b:secret-b`,
    });
    tokens[ORG_A] = await sandbox.salesforceToken('client-a', 'secret-a');
    tokens[ORG_B] = await sandbox.salesforceToken('client-b', 'secret-b');
  });
  afterAll(() => sandbox.close());

  const upsert = async (org: string, keyField: string, records: unknown[]): Promise<string[]> => {
    const answer = await sandbox.call('PATCH', `${V}/composite/sobjects/Lead/${keyField}`, {
      token: tokens[org],
      json: { records },
    });
    return answer.body.map(({ id }: { id: string }) => id);
  };
  const task = (org: string, WhoId: string, Description: string) =>
    sandbox.call('POST', `${V}/sobjects/Task`, {
      token: tokens[org],
      json: { WhoId, Subject: 'Inquiry', Description },
    });
  const person = {
    attributes: { type: 'Lead' },
    Realtor_Person_Key__c: 'acct-b:person-1',
    LastName: 'Doe',
    Company: 'Doe',
  };

  it('lists per-lead Leads by their key and per-person Tasks by their marker, in every org', async () => {
    await upsert(ORG_A, 'Realtor_Lead_Id__c', [lead('acct-a:L-1'), lead('not-a-key')]);
    const [personId] = await upsert(ORG_B, 'Realtor_Person_Key__c', [person]);
    await task(ORG_B, personId as string, `Is it available?\n${marker('L-2', 'acct-b')}`);
    await task(ORG_B, personId as string, `Second inquiry\n${marker('L-2', 'acct-b')}`);
    await task(ORG_B, personId as string, 'Called back, no marker');

    expect(await sandbox.call('GET', '/sandbox/salesforce/lead-copies')).toMatchObject({
      status: 200,
      body: [
        { accountId: 'acct-a', leadId: 'L-1' },
        { accountId: 'acct-b', leadId: 'L-2' },
        { accountId: 'acct-b', leadId: 'L-2' },
      ],
    });
  });
});
