/**
 * The plugin as the engine talks to it, without the Pulumi CLI: each plugin is a process
 * that runs its entry as the SDK's plugin runner does (launch.ts), called over the provider gRPC protocol (provider.proto's
 * ResourceProvider). The real entry (components/plugin.ts) answers GetPluginInfo and GetSchema;
 * an entry with the fake Vertex injected runs Configure and the model deployment's
 * Check/Diff/Create/Read/Update/Delete.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import servePlugin from "../../../components/plugin";
import { REPO_ROOT } from "../../helpers/stackConfig";
import { ENDPOINT, VALID_INPUTS } from "../serving/modelDeployment/modelInputs";
import { message, proto, startPlugin, struct, type Plugin, type ProtoMessage } from "./pluginProcess";

const URN =
  "urn:pulumi:test::consumer::streaming-inference:index:InferenceEndpoint$streaming-inference:index:ModelDeployment::ep-model";
const INPUTS = { ...VALID_INPUTS, connectivity: "psc", labels: { env: "test" } };

const toJs = (s: unknown) => (s as { toJavaScript(): Record<string, unknown> }).toJavaScript();

let real: Plugin;
let fake: Plugin;

beforeAll(async () => {
  [real, fake] = await Promise.all([
    startPlugin(path.join(REPO_ROOT, "components", "plugin.ts")),
    startPlugin(path.join(__dirname, "fakeVertexPlugin.ts"), {
      FAKE_VERTEX_ENDPOINTS: JSON.stringify({ [ENDPOINT]: "psc" }),
    }),
  ]);
}, 420_000);
afterAll(() => {
  real?.stop();
  fake?.stop();
});

describe("the plugin entry (components/plugin.ts)", () => {
  it("exports one function and no component class, so the plugin runner runs it instead of a component-only host", async () => {
    expect(typeof servePlugin).toBe("function");
    expect(getPulumiComponents(servePlugin)).toEqual([]);
  });

  it("reports the package's version", async () => {
    const info = await real.call("getPluginInfo", message("Empty", {}));
    expect(info.getVersion!()).toBe("0.1.0");
  });

  it("serves a schema with ModelDeployment as a resource and the platform as a component", async () => {
    const response = await real.call("getSchema", message("GetSchemaRequest", { setVersion: 0 }));
    const schema = JSON.parse(response.getSchema!() as string) as {
      name: string;
      resources: Record<string, { isComponent?: boolean; requiredInputs: string[] }>;
    };
    expect(schema.name).toBe("streaming-inference");
    expect(schema.resources["streaming-inference:index:StreamingInferencePlatform"]?.isComponent).toBe(true);
    const deployment = schema.resources["streaming-inference:index:ModelDeployment"];
    expect(deployment?.isComponent).toBeUndefined();
    expect(deployment?.requiredInputs).toContain("endpoint");
  }, 300_000);
});

describe("ModelDeployment over the protocol, against the fake Vertex", () => {
  let checked: Record<string, unknown>;
  let id: string;
  let state: Record<string, unknown>;

  it("configures, accepting secrets and resources", async () => {
    const response = await fake.call("configure", message("ConfigureRequest", {}));
    expect(response.getAcceptsecrets!()).toBe(true);
  });

  it("checks: fills in the operation timeout, and names a bad property with its fix", async () => {
    const ok = await fake.call(
      "check",
      message("CheckRequest", { setUrn: URN, setOlds: struct({}), setNews: struct(INPUTS) }),
    );
    expect(ok.getFailuresList!()).toEqual([]);
    checked = toJs(ok.getInputs!());
    expect(checked.operationTimeoutSeconds).toBe(3600);

    const bad = await fake.call(
      "check",
      message("CheckRequest", {
        setUrn: URN,
        setOlds: struct({}),
        setNews: struct({ ...INPUTS, acceleratorCount: 0 }),
      }),
    );
    const failures = (bad.getFailuresList!() as ProtoMessage[]).map((f) => [
      f.getProperty!(),
      f.getReason!(),
    ]);
    expect(failures).toEqual([["acceleratorCount", expect.stringContaining("positive integer")]]);
  });

  it("creates: uploads and deploys, and reports the deployed model and the PSC address", async () => {
    const created = await fake.call(
      "create",
      message("CreateRequest", { setUrn: URN, setProperties: struct(checked) }),
    );
    id = created.getId!() as string;
    state = toJs(created.getProperties!());
    expect(id).toBe(`${ENDPOINT}/deployedModels/${String(state.deployedModelId)}`);
    expect(state.model).toMatch(/^projects\/[^/]+\/locations\/us-central1\/models\/[^/]+$/);
    expect(typeof state.pscAddress).toBe("string");
    expect(state).not.toHaveProperty("predictHttpUri");
  });

  it("reads the deployment back as Vertex has it", async () => {
    const read = await fake.call(
      "read",
      message("ReadRequest", { setId: id, setUrn: URN, setProperties: struct(state) }),
    );
    expect(read.getId!()).toBe(id);
    expect(toJs(read.getProperties!())).toMatchObject({
      deployedModelId: state.deployedModelId,
      minReplicas: 2,
    });
  });

  it("diffs: replicas change in place, a new artifact replaces", async () => {
    const scale = await fake.call(
      "diff",
      message("DiffRequest", {
        setId: id,
        setUrn: URN,
        setOlds: struct(state),
        setNews: struct({ ...checked, maxReplicas: 9 }),
      }),
    );
    expect(scale.getChanges!()).toBe(proto.DiffResponse.DiffChanges.DIFF_SOME);
    expect(scale.getReplacesList!()).toEqual([]);
    const artifact = await fake.call(
      "diff",
      message("DiffRequest", {
        setId: id,
        setUrn: URN,
        setOlds: struct(state),
        setNews: struct({ ...checked, artifactUri: "gs://acme-models/fraud/v8" }),
      }),
    );
    expect(artifact.getReplacesList!()).toEqual(["artifactUri"]);
    expect(artifact.getDeletebeforereplace!()).toBe(false);
    const none = await fake.call(
      "diff",
      message("DiffRequest", { setId: id, setUrn: URN, setOlds: struct(state), setNews: struct(checked) }),
    );
    expect(none.getChanges!()).toBe(proto.DiffResponse.DiffChanges.DIFF_NONE);
  });

  it("updates the replicas in place: same deployed model", async () => {
    const updated = await fake.call(
      "update",
      message("UpdateRequest", {
        setId: id,
        setUrn: URN,
        setOlds: struct(state),
        setNews: struct({ ...checked, maxReplicas: 9 }),
      }),
    );
    const outs = toJs(updated.getProperties!());
    expect(outs).toMatchObject({
      maxReplicas: 9,
      deployedModelId: state.deployedModelId,
      model: state.model,
    });
    state = outs;
  });

  it("deletes: undeployed and removed, so a read finds it gone", async () => {
    await fake.call(
      "delete",
      message("DeleteRequest", { setId: id, setUrn: URN, setProperties: struct(state) }),
    );
    const read = await fake.call(
      "read",
      message("ReadRequest", { setId: id, setUrn: URN, setProperties: struct(state) }),
    );
    expect(read.getId!()).toBe("");
  });

  it("refuses a custom resource type it does not serve, naming it", async () => {
    const urn = URN.replace("index:ModelDeployment", "index:Other");
    await expect(
      fake.call("create", message("CreateRequest", { setUrn: urn, setProperties: struct(checked) })),
    ).rejects.toThrow(/no custom resource of type streaming-inference:index:Other/);
  });
});
