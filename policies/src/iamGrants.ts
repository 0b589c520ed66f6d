/** Reading the role grants out of any Google Cloud IAM member, binding or policy resource. */
import { GCP, propsOf, type ResourceView } from "./resources";

export interface Grant {
  role: string;
  members: string[];
}

/** `gcp:pubsub/topicIAMMember:TopicIAMMember`, `gcp:projects/iAMPolicy:IAMPolicy`, ... */
const IAM_TYPE = /:[A-Za-z]*I[Aa][Mm](Member|Binding|Policy)$/;

export const PROJECT_IAM_TYPES: readonly string[] = [
  GCP.projectIamMember,
  GCP.projectIamBinding,
  GCP.projectIamPolicy,
];

export function isIamResource(type: string): boolean {
  return IAM_TYPE.test(type);
}

/** The grants a resource makes; undefined when it is not an IAM resource. */
export function grantsOf(resource: ResourceView): Grant[] | undefined {
  const kind = IAM_TYPE.exec(resource.type)?.[1];
  if (!kind) return undefined;
  const props = resource.props as { role?: string; member?: string; members?: string[]; policyData?: string };
  if (kind === "Policy") return parsePolicyData(props.policyData);
  const members = kind === "Member" ? [props.member ?? ""] : (props.members ?? []);
  return props.role ? [{ role: props.role, members }] : [];
}

/** The bindings of an IAM policy document (`gcp.organizations.getIAMPolicy(...).policyData`). */
function parsePolicyData(policyData: string | undefined): Grant[] {
  if (!policyData) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(policyData);
  } catch {
    return [];
  }
  const bindings = (doc as { bindings?: unknown }).bindings;
  if (!Array.isArray(bindings)) return [];
  return bindings.map((b: { role?: unknown; members?: unknown }) => ({
    role: String(b.role ?? ""),
    members: Array.isArray(b.members) ? b.members.map(String) : [],
  }));
}

/** The members a BigQuery dataset (or dataset access resource) grants access to, with where. */
export function datasetAccessMembers(
  resource: ResourceView,
): { where: string; member: string }[] | undefined {
  type Access = { iamMember?: string; specialGroup?: string };
  const dataset = propsOf(resource, GCP.dataset);
  if (dataset) {
    return (dataset.accesses ?? []).flatMap((a: Access, i) => membersOfAccess(a, `accesses[${i}]`));
  }
  const access = propsOf(resource, GCP.datasetAccess);
  return access ? membersOfAccess(access, "the access entry") : undefined;
}

function membersOfAccess(a: { iamMember?: string; specialGroup?: string }, where: string) {
  return [a.iamMember, a.specialGroup].filter((m): m is string => !!m).map((member) => ({ where, member }));
}
