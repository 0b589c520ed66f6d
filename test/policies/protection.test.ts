import { describe, expect, it } from "vitest";
import { bigqueryTable, bigtableInstance, bigtableTable } from "./fixtures/compliantResources";
import { messagesOf, planned, resourceViolations, withInput } from "./harness";

describe("deletion-protection", () => {
  it("passes protected stores in prod, and the provider's protected-by-default", async () => {
    const defaulted = [
      withInput(bigtableInstance, "deletionProtection", undefined),
      withInput(bigqueryTable, "deletionProtection", undefined),
    ];
    expect(
      await messagesOf("deletion-protection", [bigtableInstance, bigtableTable, bigqueryTable, ...defaulted]),
    ).toEqual([]);
  });

  it.each([
    [
      bigtableInstance,
      false,
      'Bigtable instance "features-instance" is not protected from deletion in prod: set deletionProtection to true.',
    ],
    [
      bigqueryTable,
      false,
      'BigQuery table "predictions-table" is not protected from deletion in prod: set deletionProtection to true.',
    ],
    [
      bigtableTable,
      "UNPROTECTED",
      'Bigtable table "features-table" is not protected from deletion in prod: set deletionProtection to "PROTECTED".',
    ],
    [
      bigtableTable,
      undefined,
      'Bigtable table "features-table" is not protected from deletion in prod: set deletionProtection to "PROTECTED".',
    ],
  ])("flags an unprotected store in prod (%#)", async (resource, value, message) => {
    const broken = withInput(resource, "deletionProtection", value);
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      ["deletion-protection", message],
    ]);
  });

  it("does not require protection outside prod (env label)", async () => {
    const staging = withInput(
      withInput(bigtableInstance, "labels.env", "staging"),
      "deletionProtection",
      false,
    );
    expect(await messagesOf("deletion-protection", staging)).toEqual([]);
  });

  it("reads the environment of a label-less table from the pack config, else from the stack name", async () => {
    const unprotected = { deletionProtection: "UNPROTECTED", instanceName: "si-staging-features" };
    const inStaging = planned(bigtableTable.type, "features-table", unprotected, "staging");
    expect(await messagesOf("deletion-protection", inStaging)).toEqual([]);
    expect(
      await messagesOf("deletion-protection", inStaging, { "deletion-protection": { environment: "prod" } }),
    ).toEqual([
      'Bigtable table "features-table" is not protected from deletion in prod: set deletionProtection to "PROTECTED".',
    ]);
  });

  it("lets the pack config name the protected environments", async () => {
    const staging = withInput(withInput(bigqueryTable, "labels.env", "staging"), "deletionProtection", false);
    const config = { "deletion-protection": { protectedEnvironments: ["prod", "staging"] } };
    expect(await messagesOf("deletion-protection", staging, config)).toEqual([
      'BigQuery table "predictions-table" is not protected from deletion in staging: set deletionProtection to true.',
    ]);
  });
});
