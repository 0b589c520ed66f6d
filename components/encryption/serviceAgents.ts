/**
 * The Google-managed service agents the platform grants roles to (CMEK use, Pub/Sub
 * dead-lettering and BigQuery writes). One place finds them, so every grant names the
 * same identity and nothing is granted project-wide.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { AGENT_SOURCES, ENCRYPTED_SERVICES, type EncryptedService } from "./services";

export interface ServiceAgentsArgs {
  /** Project whose agents are looked up. Defaults to the provider's project. */
  project?: pulumi.Input<string>;
  /**
   * Services whose agents are needed. A plain list (it decides which resources exist).
   * Defaults to every service in `ENCRYPTED_SERVICES`.
   */
  services?: readonly EncryptedService[];
}

export class ServiceAgents extends pulumi.ComponentResource {
  /** IAM member (`serviceAccount:<email>`) of each requested service's agent. */
  public readonly members: Partial<Record<EncryptedService, pulumi.Output<string>>>;

  constructor(name: string, args: ServiceAgentsArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:encryption:ServiceAgents", name, {}, opts);
    const services = args.services ?? ENCRYPTED_SERVICES;
    const members: Partial<Record<EncryptedService, pulumi.Output<string>>> = {};
    let projectNumber: pulumi.Output<string> | undefined;
    const numberOfProject = () =>
      (projectNumber ??= gcp.organizations
        .getProjectOutput({ projectId: args.project }, { parent: this })
        .apply((p) => p.number));

    for (const service of services) {
      const source = AGENT_SOURCES[service];
      switch (source.kind) {
        case "identity": {
          const identity = new gcp.projects.ServiceIdentity(
            `${name}-${service}`,
            { project: args.project, service: source.api },
            { parent: this },
          );
          const { domain } = source;
          // Built from the identity's e-mail, so a grant to it still waits for the identity.
          members[service] =
            domain === undefined
              ? identity.member
              : pulumi
                  .all([identity.email, numberOfProject()])
                  .apply(([email, n]) => `serviceAccount:${email || `service-${n}@${domain}`}`);
          break;
        }
        case "derived":
          members[service] = pulumi.interpolate`serviceAccount:service-${numberOfProject()}@${source.domain}`;
          break;
        case "bigquery":
          members[service] = gcp.bigquery
            .getDefaultServiceAccountOutput({ project: args.project }, { parent: this })
            .apply((sa) => sa.member);
          break;
      }
    }
    this.members = members;
    this.registerOutputs(members);
  }

  /** The IAM member of a service's agent; throws if the service was not requested. */
  member(service: EncryptedService): pulumi.Output<string> {
    const member = this.members[service];
    if (!member) {
      throw new Error(
        `ServiceAgents has no agent for "${service}"; add it to the services list (have: ${Object.keys(this.members).join(", ")})`,
      );
    }
    return member;
  }
}
