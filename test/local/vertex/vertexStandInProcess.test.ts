/**
 * The stand-in as its own process (`tsx local/vertex/main.ts`), with its settings
 * changed at run time through JSON lines on stdin.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { helpers, v1 } from "@google-cloud/aiplatform";
import { credentials, status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";

process.env.METADATA_SERVER_DETECTION = "none";

const ROOT = join(__dirname, "..", "..", "..");

describe("Vertex stand-in process", () => {
  it("serves on the port it reports and takes fault changes on stdin", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "local/vertex/main.ts", "--latency-ms", "1"], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout! });
    const nextLine = async () =>
      JSON.parse((await once(lines, "line"))[0] as string) as Record<string, unknown>;
    try {
      const listening = await nextLine();
      expect(listening).toMatchObject({ message: "Vertex stand-in listening", fixedMs: 1, errorRate: 0 });
      const [host, port] = String(listening.apiEndpoint).split(":");
      const client = new v1.PredictionServiceClient({
        apiEndpoint: host,
        port: Number(port),
        sslCreds: credentials.createInsecure(),
      });
      const request = {
        endpoint: client.projectLocationEndpointPath("p", "local", "e"),
        instances: [helpers.toValue({ entityId: "e", features: { x: 1 } })!],
      };
      const [answer] = await client.predict(request);
      expect(answer.predictions).toHaveLength(1);

      child.stdin!.write(`${JSON.stringify({ faults: { errorRate: 1, errorCode: status.UNAVAILABLE } })}\n`);
      expect(await nextLine()).toMatchObject({ message: "settings changed", faults: { errorRate: 1 } });
      await expect(client.predict(request)).rejects.toMatchObject({ code: status.UNAVAILABLE });
      await client.close();
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });
});
