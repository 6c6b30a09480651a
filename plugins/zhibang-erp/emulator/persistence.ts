import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { EmulatorState, EmulatorStateData } from "./state.ts";

/**
 * The embedded ERP keeps its customers in a file of the data directory, so `npm start`
 * twice shows the same ERP the threads are linked to. Written at most once a second
 * after a call, and at close; a test emulator (no file) stays purely in memory.
 */
export class StatePersistence {
  private lastSavedCalls = -1;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly state: EmulatorState,
    private readonly file: string,
  ) {
    this.timer = setInterval(() => this.saveIfChanged(), 1000);
    this.timer.unref();
  }

  /** Loads the file when there is one; false = start from the seed. */
  static load(state: EmulatorState, file: string): boolean {
    if (!existsSync(file)) return false;
    try {
      state.restore(JSON.parse(readFileSync(file, "utf8")) as EmulatorStateData);
      return true;
    } catch (error) {
      throw new Error(
        `the embedded ERP's file ${file} is unreadable (${(error as Error).message}); move it away to start from the demo data`,
      );
    }
  }

  saveIfChanged(): void {
    const changes = this.state.calls.total + this.state.inspectionChanges;
    if (changes === this.lastSavedCalls) return;
    this.lastSavedCalls = changes;
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.state.toData()));
    renameSync(`${this.file}.tmp`, this.file);
  }

  close(): void {
    clearInterval(this.timer);
    this.saveIfChanged();
  }
}
