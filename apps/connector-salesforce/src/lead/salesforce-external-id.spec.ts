import { EXTERNAL_ID_MAX_LENGTH, salesforceExternalId } from './salesforce-external-id';

describe('salesforceExternalId', () => {
  it('names the account and the lead, so two accounts sharing an org keep a Lead each', () => {
    expect(salesforceExternalId('acct-agent', 'L-1')).toBe('acct-agent:L-1');
    expect(salesforceExternalId('acct-brokerage', 'L-1')).toBe('acct-brokerage:L-1');
  });

  it('fits a value too long for the field by hashing it, the same way every time', () => {
    const account = 'a'.repeat(63);
    const longest = 'x'.repeat(EXTERNAL_ID_MAX_LENGTH - account.length - 1);
    expect(salesforceExternalId(account, longest)).toBe(`${account}:${longest}`);

    const tooLong = `${longest}y`;
    const key = salesforceExternalId(account, tooLong);
    expect(key).toMatch(new RegExp(`^${account}:sha256:[0-9a-f]{64}$`));
    expect(key.length).toBeLessThanOrEqual(EXTERNAL_ID_MAX_LENGTH);
    expect(salesforceExternalId(account, tooLong)).toBe(key);
    expect(salesforceExternalId(account, `${longest}z`)).not.toBe(key);
  });
});
