import { createConnection, createServer } from "node:net";
import type { Server } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTcpProxy } from "../../../tools/chaos/tcpProxy";
import type { TcpProxy } from "../../../tools/chaos/tcpProxy";

/** Sends `text` through host:port and resolves with what comes back, or the error code. */
function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let received = "";
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(text));
    socket.on("data", (chunk: string) => {
      received += chunk;
      if (received.length >= text.length) socket.end();
    });
    socket.on("close", () => resolve(received));
    socket.on("error", (error: NodeJS.ErrnoException) => resolve(`error:${error.code}`));
  });
}

describe("TCP proxy", () => {
  let echo: Server;
  let echoPort: number;
  let proxy: TcpProxy;

  beforeEach(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoPort = (echo.address() as { port: number }).port;
    proxy = await startTcpProxy({ targetHost: "127.0.0.1", targetPort: echoPort });
  });

  afterEach(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  it("forwards bytes both ways", async () => {
    expect(await roundTrip(proxy.port, "hello through the proxy")).toBe("hello through the proxy");
    expect(proxy.acceptedConnections()).toBe(1);
  });

  it("refuses connections while cut, and forwards again on the same port after restore", async () => {
    await proxy.cut();
    expect(proxy.isCut()).toBe(true);
    expect(await roundTrip(proxy.port, "x")).toBe("error:ECONNREFUSED");
    await proxy.restore();
    expect(proxy.isCut()).toBe(false);
    expect(proxy.host).toBe(`127.0.0.1:${proxy.port}`);
    expect(await roundTrip(proxy.port, "back again")).toBe("back again");
  });

  it("drops connections that are open when it is cut", async () => {
    const socket = createConnection({ host: "127.0.0.1", port: proxy.port });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the proxy pair it upstream
    expect(proxy.openConnections()).toBe(1);
    await proxy.cut();
    await closed;
    expect(proxy.openConnections()).toBe(0);
  });
});
