import { PartitionLanes, type LaneWork } from './partition-lanes';

/** A work that records when it starts and finishes only when released. */
function gatedWork(log: string[], name: string) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const work: LaneWork = async (stillCurrent) => {
    log.push(`start ${name}`);
    await gate;
    log.push(`${stillCurrent() ? 'end' : 'stale'} ${name}`);
  };
  return { work, release };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

function lanes(concurrency: number, maxWaiting = 10, errors: unknown[] = []) {
  return new PartitionLanes({ concurrency, maxWaiting, onError: (error) => errors.push(error) });
}

describe('PartitionLanes', () => {
  it('runs the works of a lane one at a time in the order they were added', async () => {
    const log: string[] = [];
    const subject = lanes(4);
    const first = gatedWork(log, 'a1');
    const second = gatedWork(log, 'a2');
    await subject.add('a', first.work);
    await subject.add('a', second.work);
    await turn();
    expect(log).toEqual(['start a1']);

    first.release();
    await turn();
    expect(log).toEqual(['start a1', 'end a1', 'start a2']);
    second.release();
    await turn();
    expect(log).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
  });

  it('runs at most `concurrency` works at once across lanes', async () => {
    const log: string[] = [];
    const subject = lanes(2);
    const works = ['a', 'b', 'c'].map((lane) => ({ lane, ...gatedWork(log, lane) }));
    for (const { lane, work } of works) await subject.add(lane, work);
    await turn();
    expect(log).toEqual(['start a', 'start b']);

    works[0]?.release();
    await turn();
    await turn();
    expect(log).toEqual(['start a', 'start b', 'end a', 'start c']);
    works.forEach(({ release }) => release());
    await subject.close();
  });

  it('returns from add only while no more than maxWaiting works wait to start', async () => {
    const log: string[] = [];
    const subject = lanes(1, 1);
    const running = gatedWork(log, 'a');
    await subject.add('a', running.work);
    await subject.add('b', gatedWork(log, 'b').work);
    let added = false;
    const third = subject.add('c', gatedWork(log, 'c').work).then(() => (added = true));
    await turn();
    expect(added).toBe(false);

    running.release();
    await third;
    expect(log).toEqual(['start a', 'end a', 'start b']);
    await Promise.race([subject.close(), turn()]);
  });

  it('tells the works added before an invalidation that they are stale, and skips those not started', async () => {
    const log: string[] = [];
    const subject = lanes(2);
    const running = gatedWork(log, 'a1');
    await subject.add('a', running.work);
    await subject.add('a', gatedWork(log, 'a2').work);
    const other = gatedWork(log, 'b1');
    await subject.add('b', other.work);
    await turn();

    subject.invalidate('a');
    const after = gatedWork(log, 'a3');
    await subject.add('a', after.work);
    running.release();
    after.release();
    other.release();
    await turn();
    await turn();

    expect(log.filter((entry) => entry.endsWith('b1'))).toEqual(['start b1', 'end b1']);
    expect(log.filter((entry) => entry.includes(' a'))).toEqual([
      'start a1',
      'stale a1',
      'start a3',
      'end a3',
    ]);
  });

  it('invalidates every lane at once', async () => {
    const log: string[] = [];
    const subject = lanes(2);
    const works = ['a', 'b'].map((lane) => ({ lane, ...gatedWork(log, lane) }));
    for (const { lane, work } of works) await subject.add(lane, work);
    await turn();
    subject.invalidateAll();
    works.forEach(({ release }) => release());
    await turn();
    expect(log).toEqual(['start a', 'start b', 'stale a', 'stale b']);
  });

  it('reports a work that throws and runs none of its lane after it, until a new work is added', async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const subject = lanes(1, 10, errors);
    const failure = new Error('boom');
    await subject.add('a', async () => {
      throw failure;
    });
    await subject.add('a', gatedWork(log, 'queued').work);
    await turn();
    await turn();
    expect(errors).toEqual([failure]);
    expect(log).toEqual([]);

    const next = gatedWork(log, 'next');
    await subject.add('a', next.work);
    next.release();
    await turn();
    expect(log).toEqual(['start next', 'end next']);
  });

  it('on close, lets running works finish as stale, skips the waiting ones and stops holding add back', async () => {
    const log: string[] = [];
    const subject = lanes(1, 0);
    const running = gatedWork(log, 'a');
    const adding = subject.add('a', running.work);
    await turn();
    const waiting = subject.add('b', gatedWork(log, 'b').work);

    const closed = subject.close();
    await adding;
    await waiting;
    running.release();
    await closed;
    expect(log).toEqual(['start a', 'stale a']);
  });
});
