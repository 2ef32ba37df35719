import { salesforceLimitReport } from './salesforce-limit-info';

describe('salesforceLimitReport', () => {
  it.each([
    ['api-usage=18/5000', { daily: { limit: 5_000, remaining: 4_982 } }],
    ['api-usage=100010/100000', { daily: { limit: 100_000, remaining: 0 } }],
    ['api-bursts=1/100; api-usage=2/15000', { daily: { limit: 15_000, remaining: 14_998 } }],
    ['per-app-api-usage=2/5000(appName=x)', {}],
    ['', {}],
    [null, {}],
  ])('reads %p', (header, report) => {
    expect(salesforceLimitReport(header)).toEqual(report);
  });
});
