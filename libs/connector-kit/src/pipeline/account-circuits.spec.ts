import { silentLogger } from '@lead-delivery/messaging';
import { BrokenCircuitError } from 'cockatiel';
import { pendingLead } from '../../test/support/scheduler-fakes';
import { ConnectorError } from '../connector/connector.error';
import { AccountCircuits } from './account-circuits';

const authFailure = () => Promise.reject(new ConnectorError('auth', 'token refused'));

describe('AccountCircuits', () => {
  let metrics: { circuitChanged: jest.Mock };
  let logger: typeof silentLogger & { warn: jest.Mock };
  let recorder: { parked: jest.Mock };
  let circuits: AccountCircuits;

  beforeEach(() => {
    metrics = { circuitChanged: jest.fn() };
    logger = { ...silentLogger, warn: jest.fn() };
    recorder = { parked: jest.fn() };
    circuits = new AccountCircuits({
      settings: { breakerThreshold: 2, breakerHalfOpenMs: 60_000 },
      destination: 'fake',
      metrics,
      logger,
      recorder,
    });
  });

  it("opens an account's circuit on refused credentials, counts and logs it; other accounts still call", async () => {
    await expect(circuits.execute('a', authFailure)).rejects.toThrow('token refused');
    await expect(circuits.execute('a', authFailure)).rejects.toThrow('token refused');

    expect(metrics.circuitChanged).toHaveBeenCalledWith('a', 'open');
    expect(logger.warn).toHaveBeenCalledWith(
      { destination: 'fake', accountId: 'a', state: 'open' },
      'account circuit',
    );
    const openUntil = circuits.openUntil('a', Date.now());
    expect(openUntil).toBeGreaterThan(Date.now());
    await expect(circuits.execute('a', async () => 'sent')).rejects.toBeInstanceOf(BrokenCircuitError);
    await expect(circuits.execute('b', async () => 'sent')).resolves.toBe('sent');
    expect(circuits.openUntil('b', Date.now())).toBeUndefined();
  });

  it('parks the leads of an account whose circuit is open until its trial call', () => {
    const leads = [pendingLead('lead-0', 'a'), pendingLead('lead-1', 'a')];
    circuits.park('a', leads, 5_000, 1_000);

    expect(recorder.parked.mock.calls).toEqual(
      leads.map((lead) => [
        lead,
        4_000,
        { kind: 'circuit_open', reason: 'the circuit breaker of account a is open' },
      ]),
    );
  });
});
