/**
 * AnalyticsSink declares the de-duplicating views: GoogleSQL (useLegacySql false: the provider
 * assumes legacy SQL when unset), the rule's query over this stack's predictions table, no CMEK
 * key (a view stores no data), the table's labels and deletion protection.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createDataPlane, topologyOf } from "../../../components";
import { LATEST_ROW_RULES, latestRowQuery } from "../../../components/analytics/latestViews";
import { installMocks, settle, type RecordedResource, type Recorder } from "../../../tools/plan/mocks";
import { stackConfig } from "../../helpers/stackConfig";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme-ml-prod" });
  const config = stackConfig("prod");
  createDataPlane(config, topologyOf(config));
  await settle();
});

const tables = () => recorder.ofType("gcp:bigquery/table:Table");
const byId = (id: string): RecordedResource => tables().find((t) => t.inputs.tableId === id)!;

describe("the de-duplicating views", () => {
  it.each(LATEST_ROW_RULES)("$viewId is a GoogleSQL view of the rule over the predictions table", (rule) => {
    const view = byId(rule.viewId);
    const predictions = byId("predictions");
    expect(view).toBeDefined();
    expect(view.inputs.datasetId).toBe(predictions.inputs.datasetId);
    const ref = `${String(predictions.inputs.project ?? "acme-ml-prod")}.${String(predictions.inputs.datasetId)}.predictions`;
    expect(view.inputs.view).toEqual({ query: latestRowQuery(rule, ref), useLegacySql: false });
    expect(view.inputs.encryptionConfiguration).toBeUndefined();
    expect(view.inputs.schema).toBeUndefined();
    expect(view.inputs.deletionProtection).toBe(predictions.inputs.deletionProtection);
    expect(view.inputs.labels).toEqual(predictions.inputs.labels);
  });

  it("the predictions table itself stays a CMEK table, not a view", () => {
    const predictions = byId("predictions");
    expect(predictions.inputs.view).toBeUndefined();
    expect(predictions.inputs.encryptionConfiguration).toBeDefined();
  });
});
