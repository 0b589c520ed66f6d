/**
 * The worker image the platform's pools run: built from this package into an encrypted
 * Artifact Registry repository, or a prebuilt image given by digest.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Topology } from "../config";
import type { Encryption } from "../encryption";
import { WorkerImage } from "./workerImage";

export interface WorkerImageBuild {
  /** Docker build context. Defaults to this package's root (the worker needs `contract/`). */
  context?: string;
  /** Dockerfile path. Defaults to `<package root>/worker/Dockerfile`. */
  dockerfile?: string;
  /** Target platform. Defaults to `linux/amd64`. */
  platform?: string;
  /**
   * A worker image built elsewhere (your CI), by digest: `<host>/<project>/<repo>/worker@sha256:<64 hex>`.
   * When set, nothing is built or pushed (no repository, no Docker engine where `pulumi up` runs);
   * the worker pools' service agent must be able to pull it. Exclusive with the build options.
   */
  imageUri?: string;
}

/** A digest reference, so a new image rolls the worker pools and an unchanged one does not. */
const IMAGE_BY_DIGEST = /^[a-z0-9.-]+(:\d+)?\/[^@\s]+@sha256:[0-9a-f]{64}$/;

/**
 * The prebuilt image, after checking it is a digest reference and no build option is also
 * set. Errors are reported on `parent` (the platform) before anything is declared.
 */
export function prebuiltImage(
  build: WorkerImageBuild | undefined,
  parent: pulumi.Resource,
): string | undefined {
  if (build?.imageUri === undefined) return undefined;
  const { imageUri, ...buildOptions } = build;
  const extra = Object.keys(buildOptions).filter(
    (k) => buildOptions[k as keyof typeof buildOptions] !== undefined,
  );
  if (extra.length > 0) {
    throw new pulumi.ResourceError(
      `StreamingInferencePlatform: workerImage.imageUri is a prebuilt image; remove ${extra.map((k) => `workerImage.${k}`).join(", ")} (build options) or imageUri`,
      parent,
    );
  }
  if (!IMAGE_BY_DIGEST.test(imageUri)) {
    throw new pulumi.ResourceError(
      `StreamingInferencePlatform: workerImage.imageUri is "${imageUri}"; give the image by digest ` +
        "(<host>/<project>/<repository>/<image>@sha256:<64 hex>), e.g. from `gcloud artifacts docker images describe`",
      parent,
    );
  }
  return imageUri;
}

/**
 * The worker image by digest: `imageUri` when prebuilt, else a `WorkerImage` named
 * `<name>-worker-image`, a child of `parent`.
 */
export function createWorkerImage(
  name: string,
  input: {
    project: string;
    topology: Topology;
    encryption: Encryption;
    build?: WorkerImageBuild;
    /** The checked prebuilt image (`prebuiltImage`), if any. */
    imageUri?: string;
  },
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (input.imageUri !== undefined) return pulumi.output(input.imageUri);
  const { topology } = input;
  // Artifact Registry has multi-regions (us, europe) but no "global": regions in several areas
  // keep the image in the first region (the Encryption component keys each region for it).
  const location =
    topology.sharedKeyLocation === "global" ? topology.regions[0]! : topology.sharedKeyLocation;
  const key = input.encryption.keyFor("artifactregistry", location);
  return new WorkerImage(
    `${name}-worker-image`,
    {
      project: input.project,
      prefix: topology.prefix,
      location,
      kmsKeyName: key.id,
      kmsKeyGrant: key.grant,
      ...input.build,
      labels: topology.labels,
    },
    { parent },
  ).imageDigest;
}
