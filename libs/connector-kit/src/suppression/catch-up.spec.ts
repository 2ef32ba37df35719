import { CatchUp } from './catch-up';

describe('CatchUp', () => {
  it('is done at once when every partition is empty', async () => {
    const catchUp = new CatchUp([{ partition: 0, low: '4', high: '4' }]);
    expect(catchUp.complete).toBe(true);
    await expect(catchUp.done).resolves.toBeUndefined();
  });

  it('is done once each partition is read up to the end it had, not before', async () => {
    const catchUp = new CatchUp([
      { partition: 0, low: '0', high: '3' },
      { partition: 1, low: '5', high: '9' },
      { partition: 2, low: '2', high: '2' },
    ]);
    catchUp.read(0, '2');
    catchUp.read(1, '7');
    expect(catchUp.complete).toBe(false);
    catchUp.read(1, '8');
    expect(catchUp.complete).toBe(true);
    await expect(catchUp.done).resolves.toBeUndefined();
  });

  it('rejects when abandoned before it is done, and ignores abandoning after', async () => {
    const abandoned = new CatchUp([{ partition: 0, low: '0', high: '1' }]);
    abandoned.abandon(new Error('stopped'));
    await expect(abandoned.done).rejects.toThrow('stopped');

    const done = new CatchUp([{ partition: 0, low: '0', high: '1' }]);
    done.read(0, '0');
    done.abandon(new Error('stopped'));
    await expect(done.done).resolves.toBeUndefined();
  });
});
