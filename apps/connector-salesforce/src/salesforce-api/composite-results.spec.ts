import { readCompositeCollections } from './composite-results';

const answer = (...compositeResponse: object[]) => JSON.stringify({ compositeResponse });
const saved = (id: string, created?: boolean) => ({
  id,
  success: true,
  errors: [],
  ...(created === undefined ? {} : { created }),
});

describe('readCompositeCollections', () => {
  it('reads each collection subrequest’s save results, in order', () => {
    const results = readCompositeCollections(
      answer(
        {
          referenceId: 'leads',
          httpStatusCode: 200,
          body: [
            saved('00Q1', true),
            { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'm', fields: [] }] },
          ],
        },
        { referenceId: 'tasks', httpStatusCode: 200, body: [saved('00T1')] },
      ),
      { leads: 2, tasks: 1 },
      false,
    );

    expect(results.leads).toEqual([
      saved('00Q1', true),
      { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'm', fields: [] }] },
    ]);
    expect(results.tasks).toEqual([saved('00T1')]);
  });

  it('gives each record of a failed subrequest its error, named statusCode as in collections', () => {
    const { tasks } = readCompositeCollections(
      answer(
        { referenceId: 'leads', httpStatusCode: 200, body: [saved('00Q1')] },
        {
          referenceId: 'tasks',
          httpStatusCode: 400,
          body: [{ errorCode: 'PROCESSING_HALTED', message: 'Invalid reference specified.' }],
        },
      ),
      { leads: 1, tasks: 2 },
      false,
    );

    const halted = {
      success: false,
      errors: [{ statusCode: 'PROCESSING_HALTED', message: 'Invalid reference specified.' }],
    };
    expect(tasks).toEqual([halted, halted]);
  });

  it('leaves the records of a subrequest without an answer unknown', () => {
    const { tasks } = readCompositeCollections(
      answer({ referenceId: 'leads', httpStatusCode: 200, body: [saved('00Q1')] }),
      { leads: 1, tasks: 2 },
      false,
    );
    expect(tasks).toEqual([undefined, undefined]);
  });

  it.each([
    ['not JSON', '<html>', /not JSON/],
    ['no compositeResponse', '{}', /no compositeResponse/],
    [
      'a collection with too few results',
      answer({ referenceId: 'leads', httpStatusCode: 200, body: [saved('00Q1')] }),
      /leads: expected 2 results, got 1/,
    ],
  ])('refuses an answer that is %s (UNEXPECTED_RESPONSE)', (_case, body, message) => {
    expect(() => readCompositeCollections(body, { leads: 2 }, true)).toThrow(message);
  });
});
