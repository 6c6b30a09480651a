import type { CommandDefinition } from "../../../src/plugin-api.ts";
import { maskMobile, normalizeMobile } from "../../../src/plugin-api.ts";
import { withCallContext } from "../call-context.ts";
import { type CommandDeps, t } from "./command-deps.ts";

const MAX_SHOWN = 5;

/** `/erp find <name|mobile|khid>`: look a customer up in the ERP itself. */
export function findCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "find",
    description: { zh: "在 ERP 中查找客户（名称、手机号或客户编号）", en: "search the ERP (name, mobile or khid)" },
    usage: "<name|mobile|khid>",
    minArgs: 1,
    async handler(ctx) {
      const l = ctx.locale;
      const query = ctx.rest.trim();
      const rows = await withCallContext({ actor: ctx.sender.id }, () => search(deps, query));
      if (rows.length === 0) return t(l, `ERP 中没有找到「${query}」`, `nothing in the ERP matches "${query}"`);
      const lines = rows
        .slice(0, MAX_SHOWN)
        .map(
          (r) =>
            `• ${r.name}${r.khid ? ` ${r.khid}` : ""} · ord ${r.ord}${r.owner ? ` · ${r.owner}` : ""}${r.mobile ? ` · ${maskMobile(r.mobile)}` : ""}`,
        );
      const more =
        rows.length > MAX_SHOWN ? t(l, `\n…共 ${rows.length} 条，请缩小范围`, `\n…${rows.length} in all; narrow the search`) : "";
      return `${t(l, "ERP 查询结果", "ERP results")}：\n${lines.join("\n")}${more}`;
    },
  };
}

interface Row {
  name: string;
  ord: string;
  khid?: string;
  owner?: string;
  mobile?: string;
}

async function search(deps: CommandDeps, query: string): Promise<Row[]> {
  const mobile = normalizeMobile(query);
  if (mobile) {
    return (await deps.client.findByMobile(mobile)).map((s) => ({ name: s.name, ord: s.ord, owner: s.owner, mobile: s.mobile }));
  }
  if (/^[A-Za-z]{1,8}\d{1,12}$/.test(query)) {
    return (await deps.client.findByKhid(query)).map((d) => ({ name: d.name, ord: d.ord, khid: d.khid, mobile: d.mobile }));
  }
  const list = await deps.client.listCustomers({ name: query }, { limit: 20 });
  return list.items.map((s) => ({ name: s.name, ord: s.ord, owner: s.owner, mobile: s.mobile }));
}
