/** The 智邦国际 ERP emulator: a local HTTP server that answers like docs/zhibang-protocol.md describes. */

export { EmulatorFaultsError, parseFaults } from "./faults.ts";
export { startEmulator } from "./server.ts";
export { parseStagePlan, StageMoveError } from "./stages.ts";
export { EmulatorState } from "./state.ts";
export {
  type AppliedCall,
  type AssignmentRecord,
  CALL_CATEGORIES,
  type CallCategory,
  type CallCounts,
  type ContactSnapshot,
  type CustomerSnapshot,
  DEFAULT_FAULTS,
  EMULATOR_DEFAULT_CREDENTIALS,
  type EmulatorCredentials,
  type EmulatorFaults,
  type EmulatorOptions,
  type EmulatorSnapshot,
  FAILURE_KINDS,
  type FailureKind,
  type FollowupRecord,
  type RunningEmulator,
  type UserSnapshot,
} from "./types.ts";
