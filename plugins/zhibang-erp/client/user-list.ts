import type { CallRunner } from "./call-runner.ts";
import { asZsml, type ZsmlReply } from "./envelope.ts";
import { unexpectedModelError } from "./message.ts";
import { ERP_PATHS } from "./paths.ts";

/** An ERP user (gate): the id `member2`/`cateid` take, and the name people know them by. */
export interface ErpUser {
  id: string;
  name: string;
  /** The department node the user sits under, when the tree has one. */
  department?: string;
}

/**
 * The ERP's users: `systemmanage/gate_list.asp`, a SourceClass tree of departments whose
 * user nodes carry the user id in `value` (docs/zhibang-protocol.md §3.6, §5.9). The exact tree
 * is inferred, so it is read leniently: `nodes` or `children`, one node or a list, ids as
 * numbers or text. Nodes with an empty value (departments, the root) are not users.
 */
export function listUsers(runner: CallRunner): Promise<ErpUser[]> {
  return runner.run({
    family: "zsml",
    operation: "user_list",
    path: ERP_PATHS.userList,
    query: { stype: "check" },
    repeatable: true,
    write: false,
    datas: {},
    interpret: (reply) => readUsers(asZsml(reply, "user_list")),
  });
}

interface TreeNode {
  text?: unknown;
  value?: unknown;
  nodes?: unknown;
  children?: unknown;
}

export function readUsers(reply: ZsmlReply): ErpUser[] {
  if (reply.model !== "source") throw unexpectedModelError(reply, "source tree", "user_list");
  const source = reply.body.source as { trees?: unknown } | null | undefined;
  const users = new Map<string, ErpUser>();
  const visit = (node: unknown, department: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, department);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const { text, value, nodes, children } = node as TreeNode;
    const id = typeof value === "number" || typeof value === "string" ? String(value).trim() : "";
    const name = typeof text === "string" ? text.trim() : "";
    if (id !== "" && name !== "" && !users.has(id)) users.set(id, { id, name, ...(department ? { department } : {}) });
    const below = id === "" && name !== "" ? name : department;
    visit(nodes ?? children, below);
  };
  visit(source?.trees, undefined);
  return [...users.values()];
}
