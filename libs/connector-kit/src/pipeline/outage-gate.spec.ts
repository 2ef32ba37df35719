import { ConnectorError } from '../connector/connector.error';
import { OutageGate } from './outage-gate';

const transient = new ConnectorError('transient', '503');

describe('OutageGate (the whole-CRM circuit)', () => {
  it('stays closed when a single account keeps failing', () => {
    const gate = new OutageGate({ threshold: 3, pauseMs: 1_000 });
    for (let call = 0; call < 10; call += 1) expect(gate.recordFailure('a', transient, call)).toBe(false);
    expect(gate.state).toBe('closed');
  });

  it('opens after consecutive failures across accounts, for the pause', () => {
    const gate = new OutageGate({ threshold: 3, pauseMs: 1_000 });
    gate.recordFailure('a', transient, 0);
    gate.recordFailure('b', transient, 1);
    expect(gate.recordFailure('a', transient, 2)).toBe(true);
    expect(gate.state).toBe('open');
    expect(gate.openUntil).toBe(1_002);
  });

  it('opens when one account sees the CRM itself unavailable', () => {
    const gate = new OutageGate({ threshold: 2, pauseMs: 1_000 });
    gate.recordFailure('a', new ConnectorError('unavailable', 'maintenance'), 0);
    expect(gate.recordFailure('a', new ConnectorError('unavailable', 'maintenance'), 0)).toBe(true);
  });

  it('opens at once on a destination-wide limit, for its Retry-After', () => {
    const gate = new OutageGate({ threshold: 10, pauseMs: 1_000 });
    const quota = new ConnectorError('rate_limited', 'daily limit', {
      scope: 'destination',
      retryAfterMs: 60_000,
    });
    expect(gate.recordFailure('a', quota, 5)).toBe(true);
    expect(gate.openUntil).toBe(60_005);
  });

  it('a success or a rejection (the CRM answered) breaks the streak', () => {
    const gate = new OutageGate({ threshold: 3, pauseMs: 1_000 });
    gate.recordFailure('a', transient, 0);
    gate.recordFailure('b', transient, 0);
    gate.recordSuccess();
    gate.recordFailure('a', transient, 0);
    gate.recordFailure('b', new ConnectorError('rejected', 'bad'), 0);
    expect(gate.recordFailure('a', transient, 0)).toBe(false);
    expect(gate.state).toBe('closed');
  });

  it('half-opens after the pause; one failed trial opens it again, a success closes it', () => {
    const gate = new OutageGate({ threshold: 2, pauseMs: 1_000 });
    gate.recordFailure('a', transient, 0);
    gate.recordFailure('b', transient, 0);
    expect(gate.halfOpenIfDue(999)).toBe(false);
    expect(gate.halfOpenIfDue(1_000)).toBe(true);
    expect(gate.recordFailure('a', transient, 1_000)).toBe(true);
    expect(gate.openUntil).toBe(2_000);
    gate.halfOpenIfDue(2_000);
    expect(gate.recordSuccess()).toBe(true);
    expect(gate.state).toBe('closed');
  });
});
