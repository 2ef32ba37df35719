import { salesforceErrorOf } from './salesforce-api.error';

const headers = (values: Record<string, string>) => new Headers(values);

describe('salesforceErrorOf', () => {
  it('reads a REST error array (errorCode), every item', () => {
    const error = salesforceErrorOf(
      400,
      headers({ 'content-type': 'application/json;charset=UTF-8' }),
      JSON.stringify([
        { message: 'No such column', errorCode: 'INVALID_FIELD' },
        { message: 'second', errorCode: 'OTHER' },
      ]),
      'data',
      false,
    );
    expect(error).toMatchObject({
      status: 400,
      errorCode: 'INVALID_FIELD',
      message: 'INVALID_FIELD: No such column; OTHER: second',
    });
  });

  it('reads an OAuth error and keeps Retry-After', () => {
    const error = salesforceErrorOf(
      400,
      headers({ 'content-type': 'application/json', 'retry-after': '3' }),
      '{"error":"invalid_grant","error_description":"authentication failure"}',
      'token',
      true,
    );
    expect(error).toMatchObject({
      errorCode: 'invalid_grant',
      endpoint: 'token',
      retryAfter: '3',
      sharedOrg: true,
    });
  });

  it('recognises an HTML page whatever its charset', () => {
    const error = salesforceErrorOf(
      503,
      headers({ 'content-type': 'text/html; charset=utf-8' }),
      '<html>Maintenance</html>',
      'data',
      false,
    );
    expect(error.errorCode).toBe('HTML_RESPONSE');
  });

  it('keeps a short excerpt of a body it cannot read', () => {
    expect(salesforceErrorOf(502, headers({}), 'bad gateway', 'data', false)).toMatchObject({
      errorCode: 'HTTP_502',
      message: 'HTTP 502: bad gateway',
    });
  });
});
