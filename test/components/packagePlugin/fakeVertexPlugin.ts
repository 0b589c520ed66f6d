/**
 * The plugin entry as components/plugin.ts has it, with the fake Vertex injected (Vertex has no
 * emulator): started by the protocol test through the SDK's plugin runner, like the real one.
 * `FAKE_VERTEX_ENDPOINTS` is a JSON map endpoint name -> type (psc | peering | public).
 */
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { PackageProvider } from "../../../components/packagePlugin/packageProvider";
import { serveModelDeploymentsFromPlugin } from "../../../components/serving/modelDeployment/packageResource";
import { FakeVertex, type FakeEndpointType } from "../serving/modelDeployment/fakeVertex";

const endpoints = JSON.parse(process.env.FAKE_VERTEX_ENDPOINTS ?? "{}") as Record<string, FakeEndpointType>;
const vertex = new FakeVertex(Object.keys(endpoints), endpoints);

function serveFakePlugin(): Promise<void> {
  const provider = new PackageProvider({
    dirname: path.resolve(__dirname, "../../.."),
    vertexApi: vertex.factory,
  });
  serveModelDeploymentsFromPlugin(provider.version);
  return main(provider, process.argv.slice(2));
}

export = serveFakePlugin;
