import { crmPlaceOf, erasureStateOf, needsClearIdentity, retryDelayMs } from './erasure-state';

describe('erasure state', () => {
  const done = (place: string) => ({ place, state: 'done' as const });
  const pending = (place: string) => ({ place, state: 'pending' as const });

  it('is in progress while any place, a CRM one included, is pending', () => {
    expect(erasureStateOf([pending('postgres'), pending('outbox')])).toBe('in_progress');
    expect(erasureStateOf([done('postgres'), done('outbox'), pending(crmPlaceOf('hubspot'))])).toBe(
      'in_progress',
    );
  });

  it('is completed once every place is done', () => {
    expect(erasureStateOf([done('postgres'), done('outbox')])).toBe('completed');
    expect(erasureStateOf([done('postgres'), done('outbox'), done('crm:salesforce')])).toBe('completed');
  });

  it('keeps the clear identity until postgres and the outbox are done, not for the CRM places', () => {
    expect(needsClearIdentity([pending('postgres'), pending('outbox')])).toBe(true);
    expect(needsClearIdentity([done('postgres'), pending('outbox')])).toBe(true);
    expect(needsClearIdentity([done('postgres'), done('outbox'), pending('crm:hubspot')])).toBe(false);
  });

  it('backs off exponentially from one second, with jitter, up to the maximum', () => {
    expect(retryDelayMs(0, 60_000, () => 1)).toBe(1_000);
    expect(retryDelayMs(0, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(3, 60_000, () => 1)).toBe(8_000);
    expect(retryDelayMs(20, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(1_000, 60_000, () => 0.5)).toBe(45_000);
  });
});
