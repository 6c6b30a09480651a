import { afterEach, describe, expect, it } from "vitest";
import { ErpClient, ErpValidationError } from "../../plugins/zhibang-erp/client/index.ts";
import { withEmulator } from "./emulator-fixture.ts";
import { LOGIN_OK, type ScriptedServer, startScriptedServer } from "./scripted-server.ts";

/** The ERP's user list (gate_list.asp): the names behind the user ids wxerp assigns customers to. */

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function clientFor(tree: unknown): Promise<ErpClient> {
  const server = await startScriptedServer((r) =>
    r.path.endsWith("login") ? { body: LOGIN_OK } : { body: { header: { status: 0 }, body: tree } },
  );
  servers.push(server);
  return new ErpClient({ baseUrl: server.url, username: "u", password: "p", retries: 0 });
}

describe("listUsers", () => {
  it("reads the emulator's department tree: every user with id, name and department", async () => {
    const { erp, emulator } = await withEmulator();
    expect(await erp.listUsers()).toEqual([
      { id: "1", name: "管理员", department: "总经办" },
      { id: "123", name: "王金牌", department: "销售一部" },
      { id: "456", name: "李销售", department: "销售一部" },
      { id: "789", name: "赵新人", department: "销售二部" },
    ]);
    expect(emulator.snapshot().calls.gate_list).toBe(1);
  });

  it("reads trees leniently: children instead of nodes, one node instead of a list, numeric ids", async () => {
    const erp = await clientFor({
      model: "source",
      source: {
        trees: [
          { text: "销售部", value: "", children: { text: "孙经理", value: 321 } },
          { text: "周会计", value: "654", nodes: [] },
          { text: "", value: "999" },
        ],
      },
    });
    expect(await erp.listUsers()).toEqual([
      { id: "321", name: "孙经理", department: "销售部" },
      { id: "654", name: "周会计" },
    ]);
  });

  it("a refusal in a message is an error with the ERP's words, not an empty list", async () => {
    const erp = await clientFor({ model: "message", message: { text: "您没有权限查看人员列表！" } });
    const error = await erp.listUsers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpValidationError);
    expect((error as Error).message).toContain("您没有权限查看人员列表！");
  });
});
