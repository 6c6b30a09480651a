import { describe, expect, it } from "vitest";
import { DatabaseUrlError, databaseUrlFromEnv, maskDatabaseUrl } from "../../src/db/index.ts";

describe("WXERP_DATABASE_URL", () => {
  it("unset or blank means the embedded store", () => {
    expect(databaseUrlFromEnv({})).toBeUndefined();
    expect(databaseUrlFromEnv({ WXERP_DATABASE_URL: "  " })).toBeUndefined();
  });

  it("is returned as given when it is a postgres URL", () => {
    const url = "postgres://wxerp:s3cret@db.internal:5432/wxerp";
    expect(databaseUrlFromEnv({ WXERP_DATABASE_URL: url })).toBe(url);
    expect(databaseUrlFromEnv({ WXERP_DATABASE_URL: "postgresql://db/wxerp" })).toBe("postgresql://db/wxerp");
  });

  it("a wrong URL is refused naming the variable, without repeating the password", () => {
    for (const bad of ["mysql://root:s3cret@db/wxerp", "host=db password=s3cret", "s3cret"]) {
      let error: unknown;
      try {
        databaseUrlFromEnv({ WXERP_DATABASE_URL: bad });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DatabaseUrlError);
      expect((error as Error).message).toContain("WXERP_DATABASE_URL");
      expect((error as Error).message).not.toContain("s3cret");
    }
  });

  it("is shown with the password masked", () => {
    expect(maskDatabaseUrl("postgres://wxerp:s3cret@db:5432/wxerp")).toBe("postgres://wxerp:***@db:5432/wxerp");
    expect(maskDatabaseUrl("postgres://db/wxerp?user=a&password=s3cret")).toBe("postgres://db/wxerp?user=a&password=***");
    expect(maskDatabaseUrl("postgres://wxerp@db/wxerp")).toBe("postgres://wxerp@db/wxerp");
    expect(maskDatabaseUrl("not a url s3cret")).not.toContain("s3cret");
  });
});
