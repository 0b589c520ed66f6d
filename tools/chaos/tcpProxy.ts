/**
 * A TCP proxy that forwards bytes to a target (the Bigtable emulator) and can be cut:
 * `cut()` drops every open connection and stops listening, so clients see the backend
 * as unreachable (connection refused); `restore()` listens again on the same port.
 * It does not look at what it forwards: it is not a fake of Bigtable.
 */
import { createConnection, createServer } from "node:net";
import type { Server, Socket } from "node:net";

export interface TcpProxy {
  /** `127.0.0.1:<port>` to give clients instead of the target. */
  readonly host: string;
  readonly port: number;
  /** True between `cut()` and `restore()`. */
  isCut(): boolean;
  /** Client connections open right now. */
  openConnections(): number;
  /** Connections accepted since start. */
  acceptedConnections(): number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Port to listen on, 0 for any free one. Default 0. */
  port?: number;
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let accepted = 0;
  let cut = false;
  let server: Server | undefined;

  const onConnection = (client: Socket) => {
    accepted++;
    const upstream = createConnection({ host: options.targetHost, port: options.targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer(onConnection);
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        next.off("error", reject);
        server = next;
        const address = next.address();
        resolve(typeof address === "object" && address !== null ? address.port : port);
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      if (current === undefined) return resolve();
      current.close(() => resolve());
      for (const [client, upstream] of [...pairs]) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    });

  const port = await listen(options.port ?? 0);
  return {
    host: `127.0.0.1:${port}`,
    port,
    isCut: () => cut,
    openConnections: () => pairs.size,
    acceptedConnections: () => accepted,
    cut: async () => {
      if (cut) return;
      cut = true;
      await stopListening();
    },
    restore: async () => {
      if (!cut) return;
      await listen(port);
      cut = false;
    },
    close: async () => {
      cut = true;
      await stopListening();
    },
  };
}
