import type { SoakResult } from "./run-soak.ts";

/** The soak's figures and verdict, for a person reading the terminal. */
export function formatSoakResult(result: SoakResult): string {
  const f = result.figures;
  const kinds = Object.entries(f.injectedByKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(", ");
  const lines = [
    "",
    "wxerp fault-injection soak",
    `  input          ${f.customers} customers, ${f.lines} conversations, ${f.messages} messages`,
    `  expected       ${f.admissible} admissible, ${f.inadmissible} not admissible, ${f.expectedFollowups} follow-ups`,
    `  in the ERP     ${f.createdInErp} customers created, ${f.followupsInErp} follow-ups`,
    `  ERP calls      ${f.erpCalls} (${f.loginCalls} logins)`,
    `  injected       ${f.injectedFailures} failures (${kinds}), ${f.silentNonSaves} silent non-saves, ${f.sessionExpiries} session expiries`,
    `  bot            ${f.retries} retries, ${f.relogins} re-logins${f.loginFaults ? " (with failed logins: login faults on)" : ""}, ${f.processes} processes, ${f.killsDone}/${f.killsAimed} SIGKILLs`,
    `  resume         ${f.resumePasses} pass(es) of wxerp sync; outbox ${f.outboxEmpty ? "empty" : "NOT empty"}`,
    `  time           ${(f.durationMs / 1000).toFixed(1)} s`,
    "",
  ];
  for (const check of result.checks) {
    lines.push(`  ${check.ok ? "ok  " : "FAIL"}  ${check.name}${check.ok ? "" : ` (${check.problemCount})`}`);
    for (const problem of check.problems) lines.push(`          - ${problem}`);
  }
  lines.push("", result.ok ? "soak passed" : "soak FAILED", "");
  return lines.join("\n");
}
