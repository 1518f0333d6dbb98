import { LookupsInFlight } from '../../src/import/lookups-in-flight';

/** A look-up whose answer the test gives when it likes. */
function controlled<T>(): { promise: Promise<T>; answer: (value: T) => void; fail: (error: Error) => void } {
  let answer!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { promise, answer, fail };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Adds `lookUp`'s answer to `applied` once it is applied. */
const addInto = <T>(lookups: LookupsInFlight, lookUp: { promise: Promise<T> }, applied: T[]): Promise<void> =>
  lookups.add(
    () => lookUp.promise,
    (answer) => void applied.push(answer),
  );

describe('LookupsInFlight', () => {
  test('applies the answers in the order the look-ups started, whatever order they come in', async () => {
    const lookups = new LookupsInFlight(3);
    const applied: string[] = [];
    const [a, b, c] = [controlled<string>(), controlled<string>(), controlled<string>()];
    await addInto(lookups, a, applied);
    await addInto(lookups, b, applied);
    await addInto(lookups, c, applied);
    c.answer('c');
    b.answer('b');
    await tick();
    expect(applied).toEqual([]);
    a.answer('a');
    await lookups.drain();
    expect(applied).toEqual(['a', 'b', 'c']);
  });

  test('starts each look-up at once and returns from add with at most `depth` unapplied', async () => {
    const lookups = new LookupsInFlight(2);
    const started: number[] = [];
    const applied: number[] = [];
    const answers = [controlled<number>(), controlled<number>(), controlled<number>()];
    const add = (i: number): Promise<void> =>
      lookups.add(
        () => {
          started.push(i);
          return answers[i]!.promise;
        },
        (v) => applied.push(v),
      );
    await add(0);
    await add(1);
    expect(started).toEqual([0, 1]);
    let thirdReturned = false;
    const third = add(2).then(() => (thirdReturned = true));
    await tick();
    // The third has started, but add waits until the first is applied.
    expect(started).toEqual([0, 1, 2]);
    expect(thirdReturned).toBe(false);
    answers[0]!.answer(0);
    await third;
    expect(applied).toEqual([0]);
    answers[1]!.answer(1);
    answers[2]!.answer(2);
    await lookups.drain();
    expect(applied).toEqual([0, 1, 2]);
  });

  test('a failed look-up is thrown where it is applied, not reported as unhandled before', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const lookups = new LookupsInFlight(2);
      const applied: string[] = [];
      const [a, b] = [controlled<string>(), controlled<string>()];
      await addInto(lookups, a, applied);
      await addInto(lookups, b, applied);
      b.fail(new Error('the store went away'));
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
      a.answer('a');
      await expect(lookups.drain()).rejects.toThrow('the store went away');
      expect(applied).toEqual(['a']);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('a look-up that throws before returning a promise fails the add that started it', async () => {
    const lookups = new LookupsInFlight();
    await expect(
      lookups.add(
        () => {
          throw new Error('bad keys');
        },
        () => undefined,
      ),
    ).rejects.toThrow('bad keys');
  });

  test('refuses a depth below one', () => {
    expect(() => new LookupsInFlight(0)).toThrow(RangeError);
    expect(() => new LookupsInFlight(1.5)).toThrow('depth must be a whole number ≥ 1, not 1.5');
  });
});
