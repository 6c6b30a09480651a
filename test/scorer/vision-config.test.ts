import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { createCardReader } from "../../src/scorer/vision/card-reader.ts";

/** `scorer.vision`: off by default (no reader, so no image is ever sent); on, it needs a key from the environment. */
describe("scorer.vision config", () => {
  const load = (env: Record<string, string>, vision?: Record<string, unknown>) =>
    loadConfig({ env, withoutDefaultFile: true, ...(vision ? { overrides: { scorer: { vision } } } : {}) });

  it("is off by default: no card reader", () => {
    const config = load({});
    expect(config.scorer.vision).toEqual({ enabled: false, model: "gpt-4o-mini", timeoutMs: 30_000, maxImageBytes: 5_000_000 });
    expect(createCardReader(config, silentLogger())).toBeUndefined();
  });

  it("on without a key: an error naming the variables and the key", () => {
    expect(() => load({}, { enabled: true })).toThrow(
      /OPENAI_API_KEY \(or WXERP_VISION_API_KEY\) is not set \(needed because scorer\.vision\.enabled is true\)/,
    );
  });

  it("on with its own key and endpoint, or the scorer's", () => {
    expect(
      createCardReader(
        load({ WXERP_VISION_API_KEY: "sk-v", WXERP_VISION_BASE_URL: "http://127.0.0.1:9/v1" }, { enabled: true }),
        silentLogger(),
      ),
    ).toBeDefined();
    expect(createCardReader(load({ OPENAI_API_KEY: "sk-o" }, { enabled: true }), silentLogger())).toBeDefined();
  });

  it("refuses a key written in a config file, naming the variable to set instead", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wxerp-vision-"));
    try {
      const file = join(dir, "wxerp.yaml");
      await writeFile(file, "scorer:\n  vision:\n    enabled: true\n    apiKey: sk-in-file\n");
      expect(() => loadConfig({ env: { OPENAI_API_KEY: "sk-o" }, withoutDefaultFile: true, files: [file] })).toThrow(
        /scorer\.vision\.apiKey in .*wxerp\.yaml: secrets are read from the environment only; remove it and set WXERP_VISION_API_KEY/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
