import { silentLogger } from '@lead-delivery/messaging';
import { ConnectorError } from '../connector/connector.error';
import { WHOLE_CRM } from '../metrics/connector-metrics';
import { OutageControl } from './outage-control';

const down = new ConnectorError('unavailable', 'maintenance');

describe('OutageControl', () => {
  let now: number;
  let consumption: { pause: jest.Mock; resume: jest.Mock };
  let metrics: { circuitChanged: jest.Mock; consumptionPaused: jest.Mock };
  let onTrial: jest.Mock;
  let control: OutageControl;

  beforeEach(() => {
    jest.useFakeTimers();
    now = 0;
    consumption = { pause: jest.fn(), resume: jest.fn() };
    metrics = { circuitChanged: jest.fn(), consumptionPaused: jest.fn() };
    onTrial = jest.fn();
    control = new OutageControl({
      settings: { outageThreshold: 2, outagePauseMs: 1_000 },
      destination: 'fake',
      consumption,
      metrics,
      logger: silentLogger,
      onTrial,
      now: () => now,
    });
  });

  afterEach(() => {
    control.stop();
    jest.useRealTimers();
  });

  it('pauses consumption once the whole CRM is taken for down', () => {
    control.failed('a', down, now);
    expect(consumption.pause).not.toHaveBeenCalled();
    expect(control.state).toBe('closed');

    control.failed('a', down, now);
    expect(control.state).toBe('open');
    expect(control.openUntil).toBe(1_000);
    expect(consumption.pause).toHaveBeenCalledTimes(1);
    expect(metrics.consumptionPaused).toHaveBeenCalledWith(true);
    expect(metrics.circuitChanged).toHaveBeenCalledWith(WHOLE_CRM, 'open');
  });

  it('resumes consumption for a trial call after the pause, and asks for it', () => {
    control.failed('a', down, now);
    control.failed('b', down, now);
    now = 999;
    jest.advanceTimersByTime(999);
    expect(onTrial).not.toHaveBeenCalled();

    now = 1_000;
    jest.advanceTimersByTime(1);
    expect(control.state).toBe('half-open');
    expect(consumption.resume).toHaveBeenCalledTimes(1);
    expect(metrics.circuitChanged).toHaveBeenCalledWith(WHOLE_CRM, 'half-open');
    expect(onTrial).toHaveBeenCalledTimes(1);
  });

  it('waits again when its timer fires before the wall clock reaches the end of the pause', () => {
    control.failed('a', down, now);
    control.failed('b', down, now);
    now = 998; // the monotonic timer fired early
    jest.advanceTimersByTime(1_000);
    expect(control.state).toBe('open');
    expect(onTrial).not.toHaveBeenCalled();

    now = 1_000;
    jest.advanceTimersByTime(2);
    expect(onTrial).toHaveBeenCalledTimes(1);
  });

  it('closes and resumes consumption when the CRM answers', () => {
    control.failed('a', down, now);
    control.failed('b', down, now);
    control.answered();
    expect(control.state).toBe('closed');
    expect(consumption.resume).toHaveBeenCalledTimes(1);
    expect(metrics.circuitChanged).toHaveBeenLastCalledWith(WHOLE_CRM, 'closed');
    expect(metrics.consumptionPaused).toHaveBeenLastCalledWith(false);
    jest.advanceTimersByTime(5_000);
    expect(onTrial).not.toHaveBeenCalled(); // the trial timer went with the outage
  });

  it('does nothing more when the CRM answers while it is up', () => {
    control.answered();
    expect(consumption.resume).not.toHaveBeenCalled();
    expect(metrics.circuitChanged).not.toHaveBeenCalled();
  });

  it('after stop no trial call is asked for', () => {
    control.failed('a', down, now);
    control.failed('b', down, now);
    control.stop();
    now = 1_000;
    jest.advanceTimersByTime(1_000);
    expect(onTrial).not.toHaveBeenCalled();
    expect(consumption.resume).not.toHaveBeenCalled();
  });
});
