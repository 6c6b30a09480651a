interface Lane<R, A> {
  running?: Promise<R>;
  queued?: { promise: Promise<R>; arg: A };
}

/**
 * At most one run per key at a time. A request while one runs schedules exactly one more
 * after it (later requests join that one and update its argument), never N: ten messages
 * arriving during a scoring cause one rescoring, not ten.
 */
export class SingleFlight<R, A> {
  readonly #lanes = new Map<string, Lane<R, A>>();
  readonly #run: (key: string, arg: A) => Promise<R>;

  constructor(run: (key: string, arg: A) => Promise<R>) {
    this.#run = run;
  }

  request(key: string, arg: A): Promise<R> {
    const lane = this.#lanes.get(key) ?? {};
    this.#lanes.set(key, lane);
    // A queued run waiting for its turn counts as busy: starting another here would run two at once.
    if (!lane.running && !lane.queued) return this.#start(key, lane, arg);
    if (lane.queued) {
      lane.queued.arg = arg;
      return lane.queued.promise;
    }
    const running = lane.running ?? Promise.resolve();
    const queued: { promise: Promise<R>; arg: A } = {
      arg,
      promise: running.then(
        () => this.#promote(key, lane),
        () => this.#promote(key, lane),
      ),
    };
    lane.queued = queued;
    return queued.promise;
  }

  /** Keys with a run in progress or waiting. */
  activeKeys(): string[] {
    return [...this.#lanes.keys()];
  }

  /** Resolves when no run is in progress or waiting (including runs queued meanwhile). */
  async idle(): Promise<void> {
    while (this.#lanes.size > 0) {
      const waiting = [...this.#lanes.values()].flatMap((lane) => [lane.running, lane.queued?.promise]);
      await Promise.allSettled(waiting);
    }
  }

  #promote(key: string, lane: Lane<R, A>): Promise<R> {
    const arg = lane.queued?.arg as A;
    delete lane.queued;
    return this.#start(key, lane, arg);
  }

  #start(key: string, lane: Lane<R, A>, arg: A): Promise<R> {
    const running = this.#run(key, arg).finally(() => {
      if (lane.running === running) delete lane.running;
      if (!lane.running && !lane.queued && this.#lanes.get(key) === lane) this.#lanes.delete(key);
    });
    lane.running = running;
    return running;
  }
}
