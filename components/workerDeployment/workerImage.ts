/**
 * `WorkerImage`: an Artifact Registry Docker repository encrypted with a customer-managed
 * key, and the worker image built from `worker/Dockerfile` and pushed to it. Consumers
 * reference the image by digest (`repoDigest`), so a new build rolls the worker pools and
 * an unchanged one does not.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/**
 * This package's root (the directory of its package.json), from source or from `dist/`:
 * the worker's Docker build context (the build needs `contract/` and the lockfile).
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "streaming-inference"
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) return path.resolve(from, "../..");
  }
}

/**
 * The worker's Docker build context: the package root in a checkout of the repository
 * (it has `worker/Dockerfile`), else `dist/worker-context`, the copy `npm pack` ships
 * (scripts/pack/workerContext.mjs) for stacks that install the package from a registry.
 */
export function workerBuildContext(root: string = packageRoot()): string {
  const packed = path.join(root, "dist", "worker-context");
  return fs.existsSync(path.join(root, "worker", "Dockerfile")) || !fs.existsSync(packed) ? root : packed;
}

export interface WorkerImageArgs {
  /** Project of the repository. Defaults to the provider's project. */
  project?: pulumi.Input<string>;
  /** Name prefix; the repository is `<prefix>-worker`. Required. */
  prefix: string;
  /**
   * Repository location: a multi-region (`us`, `europe`, `asia`) or a region. It must be
   * the location of `kmsKeyName`. Required.
   */
  location: string;
  /** Cloud KMS key (in `location`) the repository is encrypted with. Required. */
  kmsKeyName: pulumi.Input<string>;
  /** The grant of `kmsKeyName` to Artifact Registry's service agent; the repository waits for it. Optional. */
  kmsKeyGrant?: pulumi.Resource;
  /**
   * Docker build context. Defaults to `workerBuildContext()`: this package's root in a
   * checkout, its shipped `dist/worker-context` when installed from a registry.
   */
  context?: pulumi.Input<string>;
  /** Dockerfile, relative to the context or absolute. Defaults to `<default context>/worker/Dockerfile`. */
  dockerfile?: pulumi.Input<string>;
  /** Platform the image is built for. Defaults to `linux/amd64` (what Cloud Run runs). */
  platform?: pulumi.Input<string>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class WorkerImage extends pulumi.ComponentResource {
  /** Image reference by digest: `<host>/<project>/<repo>/worker@sha256:...`. */
  declare public readonly imageDigest: pulumi.Output<string>;
  /** Repository id, `projects/<p>/locations/<l>/repositories/<r>`. */
  declare public readonly repositoryId: pulumi.Output<string>;

  constructor(name: string, args: WorkerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:index:WorkerImage", name, {}, opts);
    const repository = new gcp.artifactregistry.Repository(
      `${name}-repository`,
      {
        project: args.project,
        location: args.location,
        repositoryId: `${args.prefix}-worker`,
        format: "DOCKER",
        description: "Images of the streaming-inference worker.",
        kmsKeyName: args.kmsKeyName,
        // Tags move; deployments reference digests, so tag immutability is not needed.
        dockerConfig: { immutableTags: false },
        labels: args.labels,
      },
      { parent: this, dependsOn: args.kmsKeyGrant ? [args.kmsKeyGrant] : [] },
    );

    const host = `${args.location}-docker.pkg.dev`;
    // Push with a short-lived token of the deploying identity: no key files, no docker login step.
    const token = gcp.organizations.getClientConfigOutput({ parent: this }).accessToken;
    const image = new docker.Image(
      `${name}-image`,
      {
        imageName: pulumi.interpolate`${host}/${repository.project}/${repository.repositoryId}/worker:latest`,
        build: {
          context: args.context ?? workerBuildContext(),
          dockerfile: args.dockerfile ?? path.join(workerBuildContext(), "worker", "Dockerfile"),
          platform: args.platform ?? "linux/amd64",
        },
        registry: { server: host, username: "oauth2accesstoken", password: pulumi.secret(token) },
      },
      { parent: this },
    );

    this.imageDigest = image.repoDigest;
    this.repositoryId = repository.id;
    this.registerOutputs({ imageDigest: this.imageDigest, repositoryId: this.repositoryId });
  }
}
