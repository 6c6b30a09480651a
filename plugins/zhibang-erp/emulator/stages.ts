import { type CategoryRecord, describeSort1, type EnumOption } from "./catalog.ts";
import type { CustomerRecord, EmulatorState } from "./state.ts";

/**
 * Moving customers along their 跟进程度 (潜在客户 → 多次接触 → 重点客户 → 已成交), as a
 * salesperson does in the real ERP's UI, so the calibration report has outcomes to read.
 * Used by POST /__emulator/stage and by the `stages` option (planned moves applied the
 * moment a customer with that khid is saved).
 */

export class StageMoveError extends Error {
  override readonly name = "StageMoveError";
}

/** A customer by khid (compared without case, as the ERP does) or by ord. */
export function customerByRef(state: EmulatorState, ref: string): CustomerRecord | undefined {
  const text = ref.trim();
  if (/^\d+$/.test(text)) {
    const byOrd = state.customers.get(Number(text));
    if (byOrd) return byOrd;
  }
  return text === "" ? undefined : state.customerByKhid(text);
}

/** The stage of the customer's category with this id or name; throws naming the choices. */
export function stageOf(category: CategoryRecord, stage: string): EnumOption {
  const wanted = stage.trim();
  const found = category.stages.find((option) => option.id === wanted || option.text === wanted);
  if (found) return found;
  const choices = category.stages.map((option) => `${option.id} ${option.text}`).join(", ");
  throw new StageMoveError(`no stage "${wanted}" in the category ${category.text}; choose from ${choices}`);
}

export interface StageMove {
  ord: string;
  khid: string;
  from: string;
  to: EnumOption;
}

/** Sets the customer's 跟进程度 within its own 客户分类; the list's sort1name shows it at once. */
export function moveToStage(customer: CustomerRecord, stage: string, now: number): StageMove {
  const { category, stage: current } = describeSort1(customer.form.sort1 ?? "");
  if (!category) throw new StageMoveError(`customer ${customer.khid} (ord ${customer.ord}) has no 客户分类 to move within`);
  const target = stageOf(category, stage);
  customer.form.sort1 = `${category.id},${target.id}`;
  customer.updatedAt = now;
  return { ord: String(customer.ord), khid: customer.khid, from: current?.text ?? "", to: target };
}

/**
 * Parses "WX000001=重点客户,WX000002=已成交" (the emulator command's --stages) into
 * khid → stage; throws naming the malformed part.
 */
export function parseStagePlan(text: string): Record<string, string> {
  const plan: Record<string, string> = {};
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const [khid = "", stage = "", ...rest] = part.split("=").map((piece) => piece.trim());
    if (khid === "" || stage === "" || rest.length > 0)
      throw new StageMoveError(`"${part.trim()}" is not khid=stage (e.g. WX000001=重点客户)`);
    plan[khid] = stage;
  }
  return plan;
}
