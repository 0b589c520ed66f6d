/**
 * The pack as the Pulumi CLI loads it: `policies/index.ts` runs in its own process and
 * serves the analyzer gRPC API of `@pulumi/policy`; this test plays the engine's part
 * (Analyze calls, as `pulumi preview` makes them) and checks the SDK reports what the
 * offline runner reports. The CLI itself is not installable here.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformPolicies, runPolicies, type PlannedResource } from "../../policies/src";
import { REPO_ROOT } from "../helpers/stackConfig";
import { COMPLIANT_STACK, endpoint, subscription, topic } from "./fixtures/compliantResources";
import { withInput } from "./harness";

/* eslint-disable @typescript-eslint/no-require-imports -- generated CommonJS protobuf modules without typings for require */
const analyzerService = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js") as {
  AnalyzerClient: new (address: string, creds: grpc.ChannelCredentials) => AnalyzerClient;
};
const analyzerMessages = require("@pulumi/pulumi/proto/analyzer_pb.js");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js");
/* eslint-enable @typescript-eslint/no-require-imports */

interface Diagnostic {
  getPolicyname(): string;
  getMessage(): string;
}
interface AnalyzerClient {
  analyze(req: unknown, cb: (err: Error | null, res: { getDiagnosticsList(): Diagnostic[] }) => void): void;
  close(): void;
}

let pack: ChildProcess;
let client: AnalyzerClient;

beforeAll(async () => {
  // Own process group, so the pack (tsx and its node child) stops with one signal.
  pack = spawn(path.join(REPO_ROOT, "node_modules/.bin/tsx"), ["index.ts"], {
    cwd: path.join(REPO_ROOT, "policies"),
    detached: true,
  });
  const port = await new Promise<string>((resolve, reject) => {
    pack.on("error", reject);
    pack.on("exit", (code) => reject(new Error(`the pack exited with ${code} before serving`)));
    pack.stdout?.on("data", (d: Buffer) => {
      const match = /^(\d+)\s*$/m.exec(d.toString());
      if (match) resolve(match[1] as string);
    });
  });
  client = new analyzerService.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(() => {
  client?.close();
  if (pack?.pid) process.kill(-pack.pid, "SIGTERM");
});

/** What the SDK's analyzer reports for one resource: policy name and our message (after its description). */
function analyze(resource: PlannedResource): Promise<[string, string][]> {
  const req = new analyzerMessages.AnalyzeRequest();
  req.setType(resource.type);
  req.setUrn(resource.urn);
  req.setName(resource.name);
  req.setProperties(Struct.fromJavaScript(resource.inputs));
  req.setOptions(new analyzerMessages.AnalyzerResourceOptions());
  return new Promise((resolve, reject) =>
    client.analyze(req, (err, res) =>
      err
        ? reject(err)
        : resolve(
            res
              .getDiagnosticsList()
              .map((d) => [d.getPolicyname(), d.getMessage().split("\n").slice(1).join("\n")]),
          ),
    ),
  );
}

async function offline(resource: PlannedResource): Promise<[string, string][]> {
  const resourcePolicies = platformPolicies.filter((p) => !("validateStack" in p));
  return (await runPolicies([resource], { policies: resourcePolicies })).map((v) => [v.policy, v.message]);
}

describe("the pack under the policy SDK's analyzer server", () => {
  it("passes every compliant resource", async () => {
    for (const resource of COMPLIANT_STACK) expect(await analyze(resource)).toEqual([]);
  });

  it.each([
    ["a topic without a key", withInput(topic, "kmsKeyName", undefined)],
    ["a public endpoint", withInput(endpoint, "network", undefined)],
    ["a subscription without a DLQ", withInput(subscription, "deadLetterPolicy", undefined)],
  ])("reports %s exactly as the offline runner does", async (_what, broken) => {
    const fromSdk = await analyze(broken);
    expect(fromSdk).toHaveLength(1);
    expect(fromSdk).toEqual(await offline(broken));
  });
});
