import { ConnectorError } from '@lead-delivery/connector-kit';
import { accountsOf, writeAccountsFile } from '../../test/support/accounts';
import { followupbossCredentialOf, type FollowupbossCredentials } from '../accounts/followupboss-accounts';
import type { ApiCall, FollowupbossErasureApi } from '../followupboss-api/followupboss-api.client';
import { FollowupbossApiError } from '../followupboss-api/followupboss-api.error';
import { FollowupbossEraser } from './followupboss.eraser';

/** Deletes like Follow Up Boss: a person not there is `gone`; every call takes a unit of its budget first. */
class RecordingApi implements FollowupbossErasureApi {
  readonly deleted: { apiKey: string; personId: string }[] = [];
  readonly gone = new Set<string>();
  failWith: Error | undefined;

  async deletePerson(credentials: FollowupbossCredentials, personId: string, call: ApiCall) {
    await call.budget.acquire();
    if (this.failWith) throw this.failWith;
    if (this.gone.has(personId)) return 'gone' as const;
    this.deleted.push({ apiKey: credentials.apiKey, personId });
    return 'deleted' as const;
  }
}

describe('FollowupbossEraser', () => {
  const accounts = accountsOf({
    CONNECTOR_ACCOUNTS_FILE: writeAccountsFile({
      accounts: { own: { credentials: { apiKey: 'own-key' }, limits: { callsPerWindow: 50 } } },
    }),
    FOLLOWUPBOSS_API_TOKEN: 'default-key',
    FOLLOWUPBOSS_BASE_URL: 'http://fub.test',
  });
  const acquired: string[] = [];
  const context = {
    signal: new AbortController().signal,
    budget: { acquire: async () => void acquired.push('unit'), report: () => undefined },
  };
  const command = (accountId: string) => ({
    erasureId: 'e-1',
    accountId,
    records: [
      { leadId: 'lead-1', crmRecordId: '101' },
      { leadId: 'lead-2', crmRecordId: '101' },
      { leadId: 'lead-3', crmRecordId: null },
      { leadId: 'lead-4', crmRecordId: '102' },
    ],
  });
  let api: RecordingApi;
  let eraser: FollowupbossEraser;
  beforeEach(() => {
    acquired.length = 0;
    api = new RecordingApi();
    eraser = new FollowupbossEraser(accounts, api);
  });

  it("deletes each person once with the account's key, a unit of the budget each, and counts a person already gone as erased", async () => {
    api.gone.add('102');
    expect(await eraser.erase(command('own'), context)).toEqual({
      method: 'deleted',
      counts: { people: 2, leads_without_person: 1, people_deleted: 1 },
    });
    expect(api.deleted).toEqual([{ apiKey: 'own-key', personId: '101' }]);
    expect(acquired).toHaveLength(2);
  });

  it('finds nothing left to do when the request is redelivered', async () => {
    await eraser.erase(command('own'), context);
    for (const { personId } of api.deleted) api.gone.add(personId);
    expect((await eraser.erase(command('own'), context)).counts).toEqual({
      people: 2,
      leads_without_person: 1,
      people_deleted: 0,
    });
  });

  it('uses the default key for an account without its own', async () => {
    await eraser.erase(command('elsewhere'), context);
    expect(api.deleted.map(({ apiKey }) => apiKey)).toEqual(['default-key', 'default-key']);
  });

  it('refuses an account without an API key (auth: retried until an operator configures one)', async () => {
    const ownKeyOnly = accountsOf({
      CONNECTOR_ACCOUNTS_FILE: writeAccountsFile({
        accounts: { own: { credentials: { apiKey: 'own-key' } } },
      }),
      FOLLOWUPBOSS_BASE_URL: 'http://fub.test',
    });
    await expect(new FollowupbossEraser(ownKeyOnly, api).erase(command('other'), context)).rejects.toEqual(
      new ConnectorError('auth', 'no Follow Up Boss API key is configured for account other'),
    );
    expect(api.deleted).toEqual([]);
  });

  it('lets a failed delete through, classified as the deliveries are: 429 and 5xx retried, 401/403 auth, other 4xx rejected', async () => {
    api.failWith = new FollowupbossApiError(503, 'DELETE /v1/people/101: HTTP 503: down', '4');
    await expect(eraser.erase(command('own'), context)).rejects.toBe(api.failWith);
    const kind = (status: number, retryAfter: string | null = null) =>
      eraser.classify(new FollowupbossApiError(status, `HTTP ${status}`, retryAfter));
    expect(kind(429, '8')).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 8_000 });
    expect(kind(503)).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(kind(500)).toMatchObject({ kind: 'transient', retryable: true });
    expect(kind(401).kind).toBe('auth');
    expect(kind(403).kind).toBe('auth');
    expect(kind(400)).toMatchObject({ kind: 'rejected', retryable: false });
    expect(eraser.classify(new Error('socket hang up')).kind).toBe('transient');
  });

  it("spends the budget of the account's API key, the credential its deliveries use", () => {
    expect(eraser.credentialOf('own')).toEqual(followupbossCredentialOf(accounts.of('own')));
    expect(eraser.credentialOf('own')).toMatchObject({ limits: { callsPerWindow: 50 } });
    expect(eraser.destination).toBe('followupboss');
  });

  it('has no per-account mode (Follow Up Boss can only delete the person): an `erasure` setting is refused', () => {
    const file = writeAccountsFile({
      accounts: { a: { credentials: { apiKey: 'a-key' }, erasure: 'remove-ours' } },
    });
    expect(() => accountsOf({ CONNECTOR_ACCOUNTS_FILE: file })).toThrow(
      /accounts\.a\.erasure: is not a known setting/,
    );
  });
});
