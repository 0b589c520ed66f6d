import { describe, expect, it } from "vitest";
import { PREDICTION_TABLE_SCHEMA } from "../../../contract";
import { schemaTakesMetadata } from "../../../components/analytics";

describe("BigQuery subscription metadata", () => {
  it("is written only when the table has every metadata column", () => {
    expect(schemaTakesMetadata(PREDICTION_TABLE_SCHEMA)).toBe(false);
    const withMetadata = [
      ...PREDICTION_TABLE_SCHEMA,
      ...["subscription_name", "message_id", "publish_time", "attributes"].map((name) => ({ name })),
    ];
    expect(schemaTakesMetadata(withMetadata)).toBe(true);
    expect(schemaTakesMetadata(withMetadata.filter((f) => f.name !== "attributes"))).toBe(false);
  });
});
