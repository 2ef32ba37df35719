import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions } from './create-logger';
import { maskEmail, maskPhone } from './pii-mask';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino(loggerOptions({ service: 'test', level: 'info' }), stream);
  return { logger, output: () => lines.join('') };
}

describe('PII masking in logs', () => {
  it.each([
    ['jane.doe@example.com', 'j***@e***.com'],
    ['a@b', 'a***@b***'],
    ['nobody', '***'],
  ])('masks the email %s as %s', (email, masked) => expect(maskEmail(email)).toBe(masked));

  it.each([
    ['(512) 555-0142', '***42'],
    ['+1 512 555 0199', '***99'],
    ['7', '***'],
  ])('masks the phone %s as %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it('never writes an email, phone, API key or signature in clear, at any logged depth', () => {
    const { logger, output } = capture();
    logger.info(
      {
        email: 'top@example.com',
        contact: { email: 'jane.doe@example.com', phone: '(512) 555-0142' },
        lead: { contact: { email: 'deep@example.com', phone: '5125550199' } },
        event: {
          enrichment: { normalized: { phone_e164: '+15125550177' } },
          history: [{ lead: { contact: { email: 'in-array@example.com' } } }],
        },
        req: { headers: { 'x-api-key': 'sk_live_abcdef', authorization: 'Bearer t0ken' } },
        account: { secret: 'hmac-shared-secret', digital_signature: 'c2lnbmF0dXJl', apiKey: 'k-123456' },
      },
      'lead accepted',
    );
    const line = output();
    for (const clear of [
      'top@example.com',
      'jane.doe@example.com',
      '555-0142',
      'deep@example.com',
      '5125550199',
      '+15125550177',
      'in-array@example.com',
      'sk_live_abcdef',
      't0ken',
      'hmac-shared-secret',
      'c2lnbmF0dXJl',
      'k-123456',
    ]) {
      expect(line).not.toContain(clear);
    }
    expect(line).toContain('j***@e***.com');
    expect(line).toContain('***42');
    expect(JSON.parse(line)).toMatchObject({
      service: 'test',
      msg: 'lead accepted',
      contact: { phone: '***42' },
    });
  });

  it('masks credential headers of the request log line, which pino serialises itself', () => {
    const { logger, output } = capture();
    logger.info(
      {
        req: {
          method: 'POST',
          url: '/lead-delivery',
          headers: { 'x-api-key': 'sk_live_xyz', 'content-type': 'application/json' },
        },
      },
      'request completed',
    );
    expect(output()).not.toContain('sk_live_xyz');
    expect(output()).toContain('application/json');
  });
});
