import { CrmRecordLinks, crmRecordLinkProblems } from './crm-record-links';

describe('CrmRecordLinks', () => {
  const links = new CrmRecordLinks({
    salesforce: {
      accounts: { 'acct-austin': 'https://austin.lightning.force.com/lightning/r/{id}/view' },
    },
    hubspot: { default: 'https://app.hubspot.com/contacts/{account}/record/0-1/{id}' },
  });

  it("builds the link from the account's own template", () => {
    expect(links.urlOf('salesforce', 'acct-austin', '00Q5e000001')).toBe(
      'https://austin.lightning.force.com/lightning/r/00Q5e000001/view',
    );
  });

  it('falls back to the destination default, with the account and id encoded', () => {
    expect(links.urlOf('hubspot', 'acct solo', '12/3')).toBe(
      'https://app.hubspot.com/contacts/acct%20solo/record/0-1/12%2F3',
    );
  });

  it('has no link without a record id, a template for the account, or settings for the CRM', () => {
    expect(links.urlOf('hubspot', 'acct-austin', null)).toBeNull();
    expect(links.urlOf('salesforce', 'acct-other', '00Q')).toBeNull();
    expect(links.urlOf('followupboss', 'acct-austin', '7')).toBeNull();
  });
});

describe('crmRecordLinkProblems', () => {
  it('accepts https templates with {id}', () => {
    expect(
      crmRecordLinkProblems({ hubspot: { default: 'https://app.hubspot.com/contacts/1/record/0-1/{id}' } }),
    ).toEqual([]);
  });

  it('names every bad template and member', () => {
    expect(
      crmRecordLinkProblems({
        salesforce: { default: 'http://plain/{id}', accounts: { a: 'https://x/no-id' } },
        hubspot: { link: 'x' },
      }),
    ).toEqual([
      'salesforce.default must be an https URL template with {id} (and optionally {account})',
      'salesforce.accounts.a must be an https URL template with {id} (and optionally {account})',
      'hubspot has unknown members: link',
    ]);
    expect(crmRecordLinkProblems([])).toHaveLength(1);
  });
});
