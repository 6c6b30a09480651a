import type { Outcome } from "./types.ts";

export interface StageNames {
  progressed: readonly string[];
  won: readonly string[];
}

/**
 * What a 跟进程度 says about a customer wxerp handed over: a won stage is a deal (and
 * progress), a progressed stage is progress, anything else (潜在客户, where wxerp creates
 * customers, or a stage nobody listed in `erp.stages`) is still waiting.
 */
export function outcomeOf(stage: string, names: StageNames): Exclude<Outcome, "not found"> {
  const name = stage.trim();
  if (names.won.includes(name)) return "won";
  if (names.progressed.includes(name)) return "progressed";
  return "waiting";
}

export function isProgress(outcome: Outcome): boolean {
  return outcome === "won" || outcome === "progressed";
}
