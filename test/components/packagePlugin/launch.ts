/**
 * What the SDK's plugin runner (`@pulumi/pulumi/cmd/run-plugin/run.js`) does with a plugin
 * entry that exports no component class: `require` it and run the exported function. Used by
 * the protocol test with tsx, because the runner itself type-checks the whole source graph
 * with its own ts-node first (minutes on a loaded machine). Usage: launch.ts <entry> [engine address].
 */
import * as path from "node:path";

const [entry, ...args] = process.argv.slice(2);
if (!entry) throw new Error("usage: launch.ts <plugin entry> [engine address]");
process.argv = [process.argv[0]!, process.argv[1]!, ...args];
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry is CommonJS `export =`, loaded by path as the runner does
const serve = require(path.resolve(entry)) as () => Promise<void>;
void serve();
