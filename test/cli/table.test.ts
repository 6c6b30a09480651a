import { describe, expect, it } from "vitest";
import { padToWidth, renderTable } from "../../src/cli/table.ts";

/** Column starts measured in terminal cells: a CJK character or an emoji takes two. */
function cellsBefore(line: string, marker: string): number {
  let cells = 0;
  for (const { segment } of new Intl.Segmenter().segment(line.slice(0, line.indexOf(marker)))) {
    cells += /[\u2e80-\u9fff\uff00-\uff60]|\p{Extended_Pictographic}/u.test(segment) ? 2 : 1;
  }
  return cells;
}

describe("renderTable", () => {
  it("lines up the second column after Chinese names, full-width text and emoji sequences", () => {
    const table = renderTable(
      ["name", "khid"],
      [
        ["上海明达机械有限公司", "K1"],
        ["Acme", "K2"],
        ["👩‍💻 程序员", "K3"],
        ["ＡＢＣ", "K4"],
      ],
    );
    const lines = table.split("\n");
    const starts = ["khid", "K1", "K2", "K3", "K4"].map((marker, i) => cellsBefore(lines[i === 0 ? 0 : i + 1]!, marker));
    expect(new Set(starts).size).toBe(1);
    expect(starts[0]).toBe(20 + 2);
  });

  it("pads to a width in terminal cells and never cuts a wider text", () => {
    expect(padToWidth("张三", 6)).toBe("张三  ");
    expect(padToWidth("张三丰的公司", 4)).toBe("张三丰的公司");
  });
});
