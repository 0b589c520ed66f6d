/**
 * Pulumi's mock runtime with a recorder: every resource the program registers is kept
 * (type, name, parent, inputs as registered), and the fake cloud answers with realistic
 * provider-computed outputs (see fakeState.ts). Used by the offline plan and the tests.
 */
import * as pulumi from "@pulumi/pulumi";
import { fakeCall, fakeState } from "./fakeState";

/** The Pulumi SDK module: this repository's, or the copy a consumer's program loads. */
export type PulumiSdk = typeof pulumi;

/** One registered resource, as the engine saw it. */
export interface RecordedResource {
  urn: string;
  /** Type token, e.g. `gcp:pubsub/topic:Topic`. */
  type: string;
  /** Logical (Pulumi) name. */
  name: string;
  /** URN of the parent resource; undefined for a top-level resource. */
  parent?: string;
  /** True for resources a provider manages, false for components. */
  custom: boolean;
  /** Inputs as registered, secrets unwrapped. */
  inputs: Record<string, unknown>;
  /** URNs this resource waits for (`dependsOn` and inputs from other resources). */
  dependencies: string[];
  /** Provider reference (`<provider urn>::<id>`), for policies that read the provider (default labels). */
  provider?: string;
  /** Input paths Pulumi leaves to others (`ignoreChanges`), e.g. an autoscaled instance count. */
  ignoreChanges?: string[];
}

export interface MockOptions {
  /** Pulumi project name; defaults to "streaming-inference". */
  project?: string;
  /** Stack name; defaults to "test". */
  stack?: string;
  /** GCP project the fake cloud assumes when a resource does not name one. */
  gcpProject?: string;
  /** Flat stack config (`namespace:key -> value`), as in a Pulumi.<stack>.yaml. */
  config?: Record<string, unknown>;
  /** Config keys whose values are secrets. */
  secretKeys?: string[];
  /**
   * The SDK the program under test loads (its runtime holds the mocks); defaults to this
   * repository's. A program outside the repository has its own copy: mocks set in ours
   * would not be seen by its resources, and the two copies' protocol objects differ.
   */
  sdk?: PulumiSdk;
  /** Worker pools that already exist, name -> live manual instance count (default: none, a fresh project). */
  liveWorkerPools?: Record<string, number>;
}

/** What a mocked run recorded. */
export interface Recorder {
  /** Resources in registration order. */
  readonly resources: RecordedResource[];
  /** Resources of one type token. */
  ofType(type: string): RecordedResource[];
  /** The resource with this type and logical name; throws if there is none. */
  get(type: string, name: string): RecordedResource;
}

/** Removes Pulumi's secret envelopes, recursively. */
export function unwrapSecrets(value: unknown, sdk: PulumiSdk = pulumi): unknown {
  if (Array.isArray(value)) return value.map((v) => unwrapSecrets(v, sdk));
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  if (obj[sdk.runtime.specialSigKey] === sdk.runtime.specialSecretSig) return unwrapSecrets(obj.value, sdk);
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v, sdk)]));
}

/** Engine config values are strings; structured values are JSON. */
function toEngineConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** The request the runtime sends to the monitor's RegisterResource (the parts we read). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getProvider(): string;
  getIgnorechangesList(): string[];
  getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
}
interface RegisterResponse {
  getUrn(): string;
}
type Callback = (err: unknown, response: RegisterResponse | undefined) => void;
interface MonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

/**
 * Installs the mock runtime and the recorder. Call once per process (or test file),
 * before the program under test declares resources.
 */
export async function installMocks(options: MockOptions = {}): Promise<Recorder> {
  const gcpProject =
    options.gcpProject ??
    (typeof options.config?.["gcp:project"] === "string" ? options.config["gcp:project"] : "test-project");
  const resources: RecordedResource[] = [];
  const sdk = options.sdk ?? pulumi;

  await sdk.runtime.setMocks(
    {
      newResource: (args) =>
        fakeState(args.type, args.name, args.inputs as Record<string, unknown>, gcpProject),
      call: (args) =>
        fakeCall(args.token, args.inputs as Record<string, unknown>, gcpProject, options.liveWorkerPools),
    },
    options.project ?? "streaming-inference",
    options.stack ?? "test",
    false,
  );
  sdk.runtime.setAllConfig(toEngineConfig(options.config ?? {}), options.secretKeys);

  // The mocks' newResource is not told the parent; the monitor's request is. Wrap it.
  const monitor = sdk.runtime.getMonitor() as unknown as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        resources.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent() || undefined,
          custom: req.getCustom(),
          inputs: unwrapSecrets(sdk.runtime.deserializeProperties(req.getObject()), sdk) as Record<
            string,
            unknown
          >,
          dependencies: req.getDependenciesList(),
          provider: req.getProvider() || undefined,
          ...(req.getIgnorechangesList().length > 0 ? { ignoreChanges: req.getIgnorechangesList() } : {}),
        });
      }
      callback(err, response);
    });

  return {
    resources,
    ofType: (type) => resources.filter((r) => r.type === type),
    get: (type, name) => {
      const found = resources.find((r) => r.type === type && r.name === name);
      if (!found) {
        const names = resources.filter((r) => r.type === type).map((r) => r.name);
        throw new Error(
          `no ${type} named "${name}" was registered; registered: ${names.join(", ") || "none"}`,
        );
      }
      return found;
    },
  };
}

/** Resolves an Output's value (tests and the plan only; a program never needs it). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/**
 * Waits until the program's registrations have settled: the runtime's RPC queue is
 * drained, including registrations made from `apply` callbacks.
 */
export async function settle(sdk: PulumiSdk = pulumi): Promise<void> {
  // `disconnect` waits for the RPC queue to drain (re-checking while new work arrives),
  // then closes the monitor; the mock monitor has nothing to close.
  await sdk.runtime.disconnect();
}
