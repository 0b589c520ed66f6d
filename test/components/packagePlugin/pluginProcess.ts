/**
 * A plugin process and a gRPC client that talks to it as the engine does (provider.proto's
 * ResourceProvider, the stubs shipped in @pulumi/pulumi/proto). The process runs the entry as
 * the SDK's plugin runner does (launch.ts: `require` it, call the exported function), and the
 * provider prints the port it listens on.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { REPO_ROOT } from "../../helpers/stackConfig";

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's generated protobuf stubs are CommonJS without ES exports */
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as {
  ResourceProviderClient: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client;
};
export const proto = require("@pulumi/pulumi/proto/provider_pb") as Record<string, new () => ProtoMessage> & {
  DiffResponse: { DiffChanges: Record<string, number> };
};
const structproto = require("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(value: Record<string, unknown>): unknown };
};
const emptyproto = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => ProtoMessage };
/* eslint-enable @typescript-eslint/no-require-imports */

/** The generated message classes: setters and getters by field. */
export type ProtoMessage = Record<string, (...args: unknown[]) => unknown>;

export const struct = (value: Record<string, unknown>) => structproto.Struct.fromJavaScript(value);

/** A message of type `name` with the given setters applied, e.g. `{ setUrn: urn }`. */
export function message(name: string, setters: Record<string, unknown>): ProtoMessage {
  const Ctor = name === "Empty" ? emptyproto.Empty : proto[name];
  if (!Ctor) throw new Error(`provider.proto has no message ${name}`);
  const msg = new Ctor();
  for (const [setter, value] of Object.entries(setters)) msg[setter]!(value);
  return msg;
}

export interface Plugin {
  /** Calls a ResourceProvider method and resolves with its response. */
  call(method: string, request: ProtoMessage): Promise<ProtoMessage>;
  stop(): void;
  /** What the process wrote to stderr (its logs). */
  stderr(): string;
}

/** Starts `entry` (a TypeScript module exporting the serve function) as a plugin process. */
export async function startPlugin(entry: string, env: Record<string, string> = {}): Promise<Plugin> {
  const launcher = path.join(__dirname, "launch.ts");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", launcher, entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errText = "";
  child.stderr!.on("data", (d: Buffer) => (errText += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = /^(\d+)\s*$/m.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.on("exit", (code) =>
      reject(new Error(`plugin exited (${code}) before printing its port:\n${errText}`)),
    );
  });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    call: (method, request) =>
      new Promise((resolve, reject) => {
        const fn = (client as unknown as Record<string, (...a: unknown[]) => void>)[method];
        if (!fn) return reject(new Error(`ResourceProvider has no method ${method}`));
        fn.call(client, request, (err: Error | null, response: ProtoMessage) =>
          err ? reject(err) : resolve(response),
        );
      }),
    stop: () => {
      client.close();
      child.kill("SIGTERM");
    },
    stderr: () => errText,
  };
}
