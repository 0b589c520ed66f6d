/**
 * The package's provider plugin for other Pulumi languages (PulumiPlugin.yaml,
 * `pulumi package add`). The plugin runner (`@pulumi/pulumi/cmd/run-plugin`) `require`s the
 * package's `main`, which points here, and runs the exported function: it serves the
 * components (packagePlugin/components.ts, type tokens `streaming-inference:index:<Class>`)
 * and the custom resource `streaming-inference:index:ModelDeployment` over the provider
 * protocol. Model deployments made inside the plugin are that resource, not a dynamic
 * resource (which cannot load there, pulumi/pulumi#5455). TypeScript users import the full
 * library through the package's `exports` instead.
 */
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { PackageProvider } from "./packagePlugin/packageProvider";
import { serveModelDeploymentsFromPlugin } from "./serving/modelDeployment/packageResource";

/** The package root: package.json and the sources the schema is inferred from (dist/components/.. or components/..). */
function packageRoot(): string {
  const up = path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..";
  return path.resolve(__dirname, up);
}

/** Starts the provider: prints its port, then serves the engine's requests until it is stopped. */
function servePlugin(): Promise<void> {
  const provider = new PackageProvider({ dirname: packageRoot() });
  serveModelDeploymentsFromPlugin(provider.version);
  return main(provider, process.argv.slice(2));
}

export = servePlugin;
