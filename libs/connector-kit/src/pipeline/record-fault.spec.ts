import { ConnectorError } from '../connector/connector.error';
import { RecordFault, recordFaultOf } from './record-fault';

describe('recordFaultOf', () => {
  it.each([
    ['a TypeError of mapping code', new TypeError("Cannot read properties of undefined (reading 'email')")],
    ['runaway recursion', new RangeError('Maximum call stack size exceeded')],
    ['an unreadable value', new SyntaxError('Unexpected token < in JSON at position 0')],
  ])('takes %s for a record fault, with a reason free of quoted values', (_, error) => {
    const fault = recordFaultOf(error);
    expect(fault).toBeInstanceOf(RecordFault);
    expect(fault?.reason).toBe(`${error.name}: ${error.message}`);
    expect(fault?.cause).toBe(error);
  });

  it('quotes no value of the record in the reason', () => {
    const error = new TypeError('Invalid value "jane@example.com" for header');
    expect(recordFaultOf(error)?.reason).toBe('TypeError: Invalid value "…" for header');
  });

  it.each([
    [
      'a network failure wrapped in a TypeError',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      }),
    ],
    ['a CRM failure the connector classified', new ConnectorError('transient', 'HTTP 502')],
    ['an error the connector knows', new Error('HubSpot answered 500')],
    ['something that is not an error', 'boom'],
  ])('leaves %s to the connector', (_, error) => {
    expect(recordFaultOf(error)).toBeUndefined();
  });
});
