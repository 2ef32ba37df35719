import { loggableUrl } from './read-api.module';

describe('loggableUrl', () => {
  it('replaces the person key, which is an email or a phone, in request logs', () => {
    expect(loggableUrl('/people/jane%40example.com')).toBe('/people/:personKey');
    expect(loggableUrl('/people/%2B15125550142?x=1')).toBe('/people/:personKey?x=1');
  });

  it('leaves other routes as they are', () => {
    expect(loggableUrl('/leads?account=acct-austin&limit=2')).toBe('/leads?account=acct-austin&limit=2');
  });
});
