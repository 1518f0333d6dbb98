/**
 * A validation pass asks the store about its rows in batches. Waiting for each answer before
 * reading on leaves this process idle while the store works (on Neo4j, another process on the
 * other core) and the store idle while this process parses. Here a batch's look-up starts as soon
 * as the batch is full, reading goes on, and the answers are applied in the order their look-ups
 * started, so warnings and problems come out as they would one batch at a time.
 */
export class LookupsInFlight {
  /** Look-ups started and not yet applied, oldest first: each settles to the function applying it. */
  private readonly started: Promise<() => void>[] = [];

  /** `depth`: the most look-ups left unapplied when `add` returns. */
  constructor(private readonly depth = 2) {
    if (!Number.isInteger(depth) || depth < 1)
      throw new RangeError(`depth must be a whole number ≥ 1, not ${depth}`);
  }

  /**
   * Starts `lookUp` now; `apply` gets its answer once every look-up started before it has been
   * applied. Returns once at most `depth` look-ups are left unapplied: a failed look-up is thrown
   * by the call that applies it (this one, a later one, or `drain`).
   */
  async add<T>(lookUp: () => Promise<T>, apply: (answer: T) => void): Promise<void> {
    const answered = lookUp().then((answer) => () => apply(answer));
    // Until it is awaited below, a failure is held rather than reported as unhandled.
    answered.catch(() => undefined);
    this.started.push(answered);
    while (this.started.length > this.depth) await this.applyOldest();
  }

  /** Applies every look-up started, in order. */
  async drain(): Promise<void> {
    while (this.started.length > 0) await this.applyOldest();
  }

  private async applyOldest(): Promise<void> {
    const apply = await this.started.shift()!;
    apply();
  }
}
