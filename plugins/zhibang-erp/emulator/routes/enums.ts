import { param } from "../body-parser.ts";
import { CATEGORIES, ENUMS } from "../catalog.ts";
import { type Reply, zbSource } from "../envelope.ts";
import type { AuthedContext } from "./context.ts";

interface TreeNode {
  id: string;
  text: string;
  value: string;
  tag: string;
  deep: number;
  nodes: TreeNode[];
}

function node(id: string, text: string, value: string, tag: string, deep: number, nodes: TreeNode[] = []): TreeNode {
  return { id, text, value, tag, deep, nodes };
}

/**
 * mobilephone/source.asp?enumid=N: OptionClass {n: label, v: id} (docs/zhibang-protocol.md §5.9, §7). An
 * unknown id has no options.
 */
export function handleEnumSource(context: AuthedContext): Reply {
  const options = (ENUMS[param(context.request, "enumid")] ?? []).map((option) => ({ n: option.text, v: option.id }));
  return zbSource(context.session.token, { type_: "options", options });
}

/**
 * systemManage/gate_list.asp: users under their departments (TreeClass, docs/zhibang-protocol.md §3.6). Department
 * nodes have an empty value; the user nodes' values are the ids member2/cateid take.
 */
export function handleGateList(context: AuthedContext): Reply {
  const departments = new Map<string, TreeNode>();
  for (const user of context.state.users) {
    let department = departments.get(user.department);
    if (!department) {
      department = node(`d${departments.size + 1}`, user.department, "", "dept", 1);
      departments.set(user.department, department);
    }
    department.nodes.push(node(`u${user.id}`, user.name, user.id, "user", 2));
  }
  const root = node("root", "全部人员", "", "root", 0, [...departments.values()]);
  return zbSource(context.session.token, { type_: "trees", trees: root });
}

/** systemManage/telsort_list.asp: 客户分类 with their 跟进程度 stages (zsml sort1 = "category,stage"). */
export function handleCategoryList(context: AuthedContext): Reply {
  const nodes = CATEGORIES.map((category) =>
    node(
      `s${category.id}`,
      category.text,
      category.id,
      "sort",
      1,
      category.stages.map((stage) => node(`s${category.id}_${stage.id}`, stage.text, stage.id, "sort1", 2)),
    ),
  );
  return zbSource(context.session.token, { type_: "trees", trees: node("root", "客户分类", "", "root", 0, nodes) });
}
