/**
 * Loads `google.cloud.aiplatform.v1.PredictionService` from the protos that ship
 * in @google-cloud/aiplatform, so the stand-in speaks the real wire protocol.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadPackageDefinition } from "@grpc/grpc-js";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";

const PROTO = "google/cloud/aiplatform/v1/prediction_service.proto";

/** The folder holding `package.json` above a package's resolved entry file. */
function packageRoot(entryFile: string): string {
  let dir = dirname(entryFile);
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${entryFile}`);
    dir = parent;
  }
  return dir;
}

function protoRoots(): string[] {
  // build/protos of each package; google/api/* and google/protobuf/* come from the google-gax aiplatform uses.
  const aiplatform = packageRoot(require.resolve("@google-cloud/aiplatform"));
  const gax = packageRoot(require.resolve("google-gax", { paths: [aiplatform] }));
  return [join(aiplatform, "build", "protos"), join(gax, "build", "protos")];
}

let cached: ServiceDefinition | undefined;

/** The service definition for `server.addService` (loaded once; parsing the protos takes ~1 s). */
export function predictionServiceDefinition(): ServiceDefinition {
  if (cached !== undefined) return cached;
  const packageDefinition = loadSync(PROTO, {
    includeDirs: protoRoots(),
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const root = loadPackageDefinition(packageDefinition) as unknown as {
    google: { cloud: { aiplatform: { v1: { PredictionService: { service: ServiceDefinition } } } } };
  };
  cached = root.google.cloud.aiplatform.v1.PredictionService.service;
  return cached;
}
