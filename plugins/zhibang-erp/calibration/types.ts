/**
 * The calibration report: customers wxerp created or linked in the ERP at least N days ago,
 * the tier their score gave them then, and how far they have got since (their 跟进程度 in
 * the ERP's customer list now). Plain JSON: `wxerp report calibration --json` prints it and
 * the dashboard's /calibration page renders it.
 */

import type { CalibrationTierView } from "../../../src/plugin-api.ts";

/** won: a won stage (已成交…); progressed: a progressed stage (多次接触, 重点客户…); waiting: any other stage. */
export type Outcome = "won" | "progressed" | "waiting" | "not found";

export interface CalibrationCustomer {
  contactId: string;
  name: string;
  khid: string;
  ord: string;
  /** When wxerp first created or linked it (conversation time). */
  linkedAt: string;
  score: number;
  tier: string;
  /** True for data written before wxerp kept linkedAt/linkScore: the last sync time and current score stand in. */
  estimated: boolean;
  /** Linked to a record already in the ERP (not created by wxerp): its stage may predate wxerp. */
  existing: boolean;
  /** sort1name in the ERP's list now ("" when the list has no such column). */
  stage: string;
  outcome: Outcome;
}

/** A tier's row: the dashboard's calibration page shows the same shape. */
export type TierRow = CalibrationTierView;

export interface BandRow {
  from: number;
  to: number;
  customers: number;
  progressed: number;
  rate: number | null;
}

export interface ThresholdSuggestion {
  current: number;
  /** Absent when the data cannot support a suggestion (reason says why). */
  suggested?: number;
  /** One English sentence (the CLI prints it). */
  reason: string;
  /** The same as figures, for a page to word in its own language. */
  basis: SuggestionBasis;
}

export type SuggestionBasis =
  | { kind: "too few"; evaluated: number; needed: number }
  | { kind: "no progress"; evaluated: number }
  | { kind: "unranked"; evaluated: number; average: number }
  | { kind: "suggested"; evaluated: number; average: number; stoppedAt?: { from: number; to: number; rate: number } };

export interface CalibrationReport {
  days: number;
  now: string;
  /** Customers linked at or before this time are evaluated. */
  cutoff: string;
  stages: { progressed: string[]; won: string[] };
  /** Customers evaluated: linked before the cutoff and found in the ERP list. */
  evaluated: number;
  /** Linked after the cutoff: too recent to judge. */
  tooRecent: number;
  /** Linked before the cutoff but not in the ERP list (deleted, merged, out of this account's sight). */
  notFound: number;
  /** Of the evaluated, how many were already in the ERP when wxerp linked them (their stage may predate wxerp). */
  existing: number;
  overall: { customers: number; progressed: number; won: number; rate: number | null };
  tiers: TierRow[];
  bands: BandRow[];
  /** How many evaluated customers are at each stage name. */
  stageCounts: Record<string, number>;
  suggestion: ThresholdSuggestion;
  customers: CalibrationCustomer[];
}
