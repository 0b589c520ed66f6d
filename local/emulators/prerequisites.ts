/**
 * Checks that the Google Cloud CLI, both emulators and Java are installed before
 * anything starts, so a missing piece gives one message that names all of it.
 */
import { existsSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** Where the emulators live inside the Cloud SDK, found from the `gcloud` on PATH. */
export interface EmulatorInstallation {
  gcloud: string;
  sdkRoot: string;
}

const INSTALL_HINT =
  "Install them with: sudo apt-get install google-cloud-cli google-cloud-cli-pubsub-emulator " +
  "google-cloud-cli-bigtable-emulator openjdk-17-jre-headless " +
  "(or `gcloud components install pubsub-emulator bigtable` and a Java 11+ runtime).";

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Returns the installation, or throws one error listing everything that is missing and how to install it. */
export function checkEmulatorPrerequisites(): EmulatorInstallation {
  const missing: string[] = [];
  const gcloud = onPath("gcloud");
  let sdkRoot = "";
  if (gcloud === undefined) {
    missing.push("the Google Cloud CLI (`gcloud` is not on PATH)");
  } else {
    // <sdk>/bin/gcloud, usually behind a symlink in /usr/bin.
    sdkRoot = dirname(dirname(realpathSync(gcloud)));
    if (!existsSync(join(sdkRoot, "platform", "pubsub-emulator")))
      missing.push(`the Pub/Sub emulator (no ${join(sdkRoot, "platform", "pubsub-emulator")})`);
    if (!existsSync(join(sdkRoot, "platform", "bigtable-emulator", "cbtemulator")))
      missing.push(
        `the Bigtable emulator (no ${join(sdkRoot, "platform", "bigtable-emulator", "cbtemulator")})`,
      );
  }
  if (onPath("java") === undefined)
    missing.push("Java (the Pub/Sub emulator runs on it; `java` is not on PATH)");
  if (missing.length > 0 || gcloud === undefined) {
    throw new Error(`The local platform needs ${missing.join(", ")}. ${INSTALL_HINT}`);
  }
  return { gcloud, sdkRoot };
}
