import { ConnectorError } from '../connector/connector.error';
import { classifyCrmFailure } from './crm-failure';

describe('classifyCrmFailure', () => {
  it('keeps a ConnectorError as it is', () => {
    const error = new ConnectorError('rejected', 'bad email');
    const classify = jest.fn();
    expect(classifyCrmFailure({ classify }, error)).toBe(error);
    expect(classify).not.toHaveBeenCalled();
  });

  it("asks the connector's classifier about any other error", () => {
    const classified = new ConnectorError('rate_limited', '429');
    expect(classifyCrmFailure({ classify: () => classified }, new Error('HTTP 429'))).toBe(classified);
  });

  it('takes a failure the classifier cannot read for a transient one', () => {
    const original = new Error('odd');
    const error = classifyCrmFailure(
      {
        classify: () => {
          throw new Error('no status');
        },
      },
      original,
    );
    expect(error).toMatchObject({
      kind: 'transient',
      message: 'unclassified failure: no status',
      cause: original,
    });
  });
});
