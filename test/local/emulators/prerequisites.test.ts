import { mkdtempSync, symlinkSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkEmulatorPrerequisites } from "../../../local/emulators/prerequisites";

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

function executable(path: string): void {
  writeFileSync(path, "#!/bin/sh\n", { mode: 0o755 });
}

describe("emulator prerequisites", () => {
  it("names everything missing in one message, with the install command", () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), "empty-path-"));
    expect(() => checkEmulatorPrerequisites()).toThrow(
      /needs the Google Cloud CLI \(`gcloud` is not on PATH\), Java .*apt-get install google-cloud-cli google-cloud-cli-pubsub-emulator google-cloud-cli-bigtable-emulator/,
    );
  });

  it("names a missing emulator component of an installed SDK", () => {
    const sdk = mkdtempSync(join(tmpdir(), "sdk-"));
    mkdirSync(join(sdk, "bin"));
    mkdirSync(join(sdk, "platform", "pubsub-emulator"), { recursive: true });
    executable(join(sdk, "bin", "gcloud"));
    const bin = mkdtempSync(join(tmpdir(), "bin-"));
    symlinkSync(join(sdk, "bin", "gcloud"), join(bin, "gcloud"));
    executable(join(bin, "java"));
    process.env.PATH = bin;
    expect(() => checkEmulatorPrerequisites()).toThrow(
      /^The local platform needs the Bigtable emulator \(no .*cbtemulator\)\./,
    );
  });

  it("finds the SDK behind the gcloud symlink when everything is installed", () => {
    const sdk = mkdtempSync(join(tmpdir(), "sdk-"));
    mkdirSync(join(sdk, "bin"));
    mkdirSync(join(sdk, "platform", "pubsub-emulator"), { recursive: true });
    mkdirSync(join(sdk, "platform", "bigtable-emulator"), { recursive: true });
    executable(join(sdk, "platform", "bigtable-emulator", "cbtemulator"));
    executable(join(sdk, "bin", "gcloud"));
    const bin = mkdtempSync(join(tmpdir(), "bin-"));
    symlinkSync(join(sdk, "bin", "gcloud"), join(bin, "gcloud"));
    executable(join(bin, "java"));
    process.env.PATH = bin;
    expect(checkEmulatorPrerequisites()).toEqual({ gcloud: join(bin, "gcloud"), sdkRoot: sdk });
  });
});
