/** The config change: only activeRegion's value changes; every comment and byte elsewhere stays. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { withActiveRegion } from "../../../tools/failover/stackFile";
import { REPO_ROOT } from "./fakes";

describe("withActiveRegion", () => {
  it("changes the value only, in prod's file", () => {
    const text = readFileSync(join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8");
    const changed = withActiveRegion(text, "us-east1");
    expect(parse(changed).config["streaming-inference:activeRegion"]).toBe("us-east1");
    const diff = text.split("\n").filter((line, i) => line !== changed.split("\n")[i]);
    expect(diff).toEqual(["  streaming-inference:activeRegion: us-central1"]);
  });

  it("keeps comments, on the same line and elsewhere", () => {
    const text =
      "# the stack\nconfig:\n  streaming-inference:activeRegion: us-central1 # serving\n  other: 1 # kept\n";
    expect(withActiveRegion(text, "us-east1")).toBe(
      "# the stack\nconfig:\n  streaming-inference:activeRegion: us-east1 # serving\n  other: 1 # kept\n",
    );
  });

  it("refuses a file without the key, and a value that is not a region name", () => {
    expect(() => withActiveRegion("config:\n  a: 1\n", "us-east1")).toThrow(
      /no `streaming-inference:activeRegion:`/,
    );
    expect(() => withActiveRegion("config:\n  streaming-inference:activeRegion: a\n", "x: y")).toThrow(
      /not a region name/,
    );
  });
});
