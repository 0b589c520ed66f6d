import { afterEach, describe, expect, it } from "vitest";
import { startHealthServer, type HealthServer } from "../../worker/src/health";

describe("health server", () => {
  let server: HealthServer | undefined;
  afterEach(async () => server?.close());

  it("answers /healthz and /readyz from the worker's state, on an ephemeral port", async () => {
    let ready = false;
    server = await startHealthServer(0, { live: () => true, ready: () => ready }, "127.0.0.1");
    expect(server.port).toBeGreaterThan(0);
    const get = (path: string) => fetch(`http://127.0.0.1:${server?.port}${path}`).then((r) => r.status);
    expect(await get("/healthz")).toBe(200);
    expect(await get("/readyz")).toBe(503);
    ready = true;
    expect(await get("/readyz")).toBe(200);
    expect(await get("/other")).toBe(404);
  });
});
