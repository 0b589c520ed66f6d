/**
 * `ProjectApis`: the stack enables the Google APIs it uses, and every resource waits for its
 * API. A `gcp.projects.Service` per API, created the first time a resource needs it (so a stack
 * enables exactly what it uses), never disabled on destroy: other workloads in the project may use
 * the same APIs, and disabling one is what `disableOnDestroy: true` would do (@pulumi/gcp
 * projects/service.d.ts). Organisations that enable APIs centrally turn this off (`enableApis: false`).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { apiOf, needsNoApi, RUNTIME_APIS } from "./apis";

export interface ProjectApisArgs {
  /** Project whose APIs are enabled. Required. */
  project: pulumi.Input<string>;
}

export class ProjectApis extends pulumi.ComponentResource {
  private readonly services = new Map<string, gcp.projects.Service>();
  private readonly project: pulumi.Input<string>;
  private readonly baseName: string;

  constructor(name: string, args: ProjectApisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:index:ProjectApis", name, {}, opts);
    this.project = args.project;
    this.baseName = name;
    for (const api of RUNTIME_APIS) this.enable(api);
    this.registerOutputs({});
  }

  /** The `Service` that enables `api`, created on first use. */
  enable(api: string): gcp.projects.Service {
    let service = this.services.get(api);
    if (!service) {
      service = new gcp.projects.Service(
        `${this.baseName}-${api.replace(/\.googleapis\.com$/, "")}`,
        { project: this.project, service: api, disableOnDestroy: false, disableDependentServices: false },
        { parent: this },
      );
      this.services.set(api, service);
    }
    return service;
  }

  /** APIs enabled so far, sorted. */
  get apis(): string[] {
    return [...this.services.keys()].sort();
  }

  /**
   * A transformation for the platform: a resource of an API-backed type gets `dependsOn` its
   * API's `Service`. A custom resource type with no entry in API_OF_TYPE stops the program, so
   * no resource is created before its API is on.
   */
  readonly transformation: pulumi.ResourceTransformation = (args) => {
    if (needsNoApi(args.type) || !(args.resource instanceof pulumi.CustomResource)) return undefined;
    const api = apiOf(args.type, args.props as Record<string, unknown>);
    if (!api) {
      throw new pulumi.ResourceError(
        `ProjectApis: no API is known for resource type ${args.type} (${args.name}); add it to API_OF_TYPE in components/prerequisites/apis.ts`,
        this,
      );
    }
    return { props: args.props, opts: pulumi.mergeOptions(args.opts, { dependsOn: [this.enable(api)] }) };
  };
}
