import { SalesforceApiError } from './salesforce-api.error';
import { leadTasksQuery, readQueryPage } from './task-query';

describe('leadTasksQuery', () => {
  it('selects the Tasks whose WhoId is one of the Leads, each id quoted and escaped', () => {
    expect(leadTasksQuery(['00Q5e0000000001AAA', '00Q5e0000000002AAA'])).toBe(
      "SELECT Id, WhoId, Description FROM Task WHERE WhoId IN ('00Q5e0000000001AAA', '00Q5e0000000002AAA')",
    );
    expect(leadTasksQuery(["a'b\\c"])).toBe(
      "SELECT Id, WhoId, Description FROM Task WHERE WhoId IN ('a\\'b\\\\c')",
    );
  });
});

describe('readQueryPage', () => {
  const task = { attributes: { type: 'Task', url: '/x' }, Id: '00T1', WhoId: '00Q1', Description: 'd' };

  it('reads the Tasks of a last page, and the next page of one that is not done', () => {
    expect(readQueryPage(JSON.stringify({ totalSize: 1, done: true, records: [task] }), false)).toEqual({
      records: [{ Id: '00T1', WhoId: '00Q1', Description: 'd' }],
    });
    const page = readQueryPage(
      JSON.stringify({
        totalSize: 2_001,
        done: false,
        nextRecordsUrl: '/services/data/v62.0/query/01gx-2000',
        records: [{ ...task, Description: null, WhoId: undefined }],
      }),
      false,
    );
    expect(page).toEqual({
      records: [{ Id: '00T1', WhoId: null, Description: null }],
      nextRecordsUrl: '/services/data/v62.0/query/01gx-2000',
    });
  });

  it.each([
    ['not JSON', '<html>', 'not JSON'],
    ['no records', JSON.stringify({ done: true }), 'no records or done'],
    [
      'a record without Id',
      JSON.stringify({ done: true, records: [{ Description: 'x' }] }),
      'records[0] has no Id',
    ],
    [
      'not done without a next page',
      JSON.stringify({ done: false, records: [] }),
      'not done, but no nextRecordsUrl',
    ],
    [
      'a next page elsewhere',
      JSON.stringify({ done: false, records: [], nextRecordsUrl: 'https://evil.example/x' }),
      'not done, but no nextRecordsUrl',
    ],
  ])('refuses %s as an unexpected answer (retried)', (_case, body, problem) => {
    let error: unknown;
    try {
      readQueryPage(body, true);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({
      status: 502,
      errorCode: 'UNEXPECTED_RESPONSE',
      message: `query answer: ${problem}`,
      sharedOrg: true,
    });
  });
});
