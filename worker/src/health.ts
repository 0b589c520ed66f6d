/**
 * Liveness and readiness over HTTP (node:http): `/healthz` answers 200 while the process
 * serves, `/readyz` 200 only while it is pulling (not starting, not draining).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface HealthState {
  live(): boolean;
  ready(): boolean;
  /** Small JSON detail for humans (counters). */
  detail?(): unknown;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(
  port: number,
  state: HealthState,
  host?: string,
): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const ok = path === "/healthz" ? state.live() : path === "/readyz" ? state.ready() : undefined;
    if (ok === undefined) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    const body = JSON.stringify({
      status: ok ? "ok" : "unavailable",
      ...(state.detail ? { detail: state.detail() } : {}),
    });
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(body);
  });
  // Probes are the only clients: do not let an idle keep-alive socket hold the process open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
