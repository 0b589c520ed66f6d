import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { platformPolicies } from "../../policies/src";

describe("policies/README.md", () => {
  it("documents every policy of the pack, and no other", () => {
    const readme = fs.readFileSync(path.join(__dirname, "../../policies/README.md"), "utf8");
    const documented = [...readme.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(platformPolicies.map((p) => p.name));
  });
});
