import { loggableUrl } from './read-api.module';

describe('loggableUrl', () => {
  it('replaces the person key, which is an email or a phone, in request logs', () => {
    expect(loggableUrl('/accounts/acct-austin/people/jane%40example.com')).toBe(
      '/accounts/acct-austin/people/:personKey',
    );
    expect(loggableUrl('/accounts/acct-austin/people/%2B15125550142?x=1')).toBe(
      '/accounts/acct-austin/people/:personKey?x=1',
    );
  });

  it('leaves other routes as they are', () => {
    expect(loggableUrl('/leads?account=acct-austin&limit=2')).toBe('/leads?account=acct-austin&limit=2');
    expect(loggableUrl('/accounts/acct-austin/leads/L-1')).toBe('/accounts/acct-austin/leads/L-1');
  });
});
