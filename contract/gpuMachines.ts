/**
 * The one GPU table: which machine type takes which accelerator, and how many, for Vertex AI
 * prediction. Both the config check (components/config) and the policy pack (policies/src)
 * read it, so a pair cannot pass one and fail the other for being unknown.
 *
 * Source: Vertex AI, "Configure compute resources for inference"
 * (https://cloud.google.com/vertex-ai/docs/predictions/configure-compute), its machine-type
 * tables (N1 for prediction: n1-standard-2..32, n1-highmem-2..32, n1-highcpu-4..32; no
 * n1-*-64/96) and GPU table (T4, P4, P100, V100 on N1 in counts of 1, 2 or 4; the G2, A2 and A3
 * machine types come with a fixed number of their GPU); accelerator names as aiplatform v1
 * `accelerator_type.proto` `AcceleratorType` spells them. Read 2026-12-04. Not encoded: the
 * per-GPU vCPU ceilings of N1 (Compute Engine's GPU page), which Vertex applies as well.
 * Plain data, no imports: `policies/` loads this on its own.
 */

/** Vertex AI accelerator types, as `MachineSpec.acceleratorType` names them. */
export const ACCELERATOR_TYPES = [
  "NVIDIA_TESLA_T4",
  "NVIDIA_TESLA_V100",
  "NVIDIA_TESLA_P4",
  "NVIDIA_TESLA_P100",
  "NVIDIA_L4",
  "NVIDIA_TESLA_A100",
  "NVIDIA_A100_80GB",
  "NVIDIA_H100_80GB",
] as const;

export type AcceleratorType = (typeof ACCELERATOR_TYPES)[number];

/** One row: a machine type, an accelerator it takes, and the counts it takes it in. */
export interface GpuMachine {
  machineType: string;
  acceleratorType: AcceleratorType;
  counts: readonly number[];
}

const N1_MACHINE_TYPES = [
  ...[2, 4, 8, 16, 32].map((n) => `n1-standard-${n}`),
  ...[2, 4, 8, 16, 32].map((n) => `n1-highmem-${n}`),
  ...[4, 8, 16, 32].map((n) => `n1-highcpu-${n}`),
];
const N1_GPUS: readonly AcceleratorType[] = [
  "NVIDIA_TESLA_T4",
  "NVIDIA_TESLA_V100",
  "NVIDIA_TESLA_P4",
  "NVIDIA_TESLA_P100",
];

/** G2 machine types and the L4s each comes with. */
const G2_L4S: Record<string, number> = { 4: 1, 8: 1, 12: 1, 16: 1, 32: 1, 24: 2, 48: 4, 96: 8 };

const fixed = (prefix: string, acceleratorType: AcceleratorType): GpuMachine[] =>
  [1, 2, 4, 8].map((n) => ({ machineType: `${prefix}-${n}g`, acceleratorType, counts: [n] }));

/** Every machine type / accelerator pair Vertex AI prediction takes, with its GPU counts. */
export const VERTEX_GPU_MACHINES: readonly GpuMachine[] = [
  ...N1_MACHINE_TYPES.flatMap((machineType) =>
    N1_GPUS.map((acceleratorType) => ({ machineType, acceleratorType, counts: [1, 2, 4] })),
  ),
  ...Object.entries(G2_L4S).map(([vcpus, n]) => ({
    machineType: `g2-standard-${vcpus}`,
    acceleratorType: "NVIDIA_L4" as const,
    counts: [n],
  })),
  ...fixed("a2-highgpu", "NVIDIA_TESLA_A100"),
  ...fixed("a2-ultragpu", "NVIDIA_A100_80GB"),
  ...fixed("a3-highgpu", "NVIDIA_H100_80GB"),
];

/** The row of a machine type / accelerator pair, or undefined when Vertex AI does not take it. */
export function gpuMachine(machineType: string, acceleratorType: string): GpuMachine | undefined {
  return VERTEX_GPU_MACHINES.find(
    (m) => m.machineType === machineType && m.acceleratorType === acceleratorType,
  );
}

/** Checks a machine type / accelerator / count against the table; returns why it is invalid, or undefined. */
export function checkGpuMachine(machineType: string, accelerator: string, count: number): string | undefined {
  const rows = VERTEX_GPU_MACHINES.filter((m) => m.machineType === machineType);
  if (rows.length === 0) {
    return (
      `machine type "${machineType}" is not a GPU machine type Vertex AI prediction takes; use one of ` +
      `n1-standard-2..32, n1-highmem-2..32, n1-highcpu-4..32, g2-standard-*, a2-highgpu-*g, a2-ultragpu-*g, ` +
      `a3-highgpu-*g (Vertex AI "Configure compute resources for inference")`
    );
  }
  const row = rows.find((m) => m.acceleratorType === accelerator);
  if (!row) {
    return `accelerator "${accelerator}" cannot be attached to ${machineType}; allowed: ${rows.map((m) => m.acceleratorType).join(", ")}`;
  }
  if (!row.counts.includes(count)) {
    return row.counts.length === 1
      ? `${machineType} comes with exactly ${row.counts[0]} ${accelerator}; set acceleratorCount to ${row.counts[0]}`
      : `acceleratorCount ${count} is not allowed on ${machineType}; allowed: ${row.counts.join(", ")}`;
  }
  return undefined;
}

/**
 * The pairs the policy pack approves by default (`model-deployment-allowed-machine`): rows of
 * the table above that have been sized for this platform. An organisation approves others in the
 * pack's config; a pair outside the table is refused whatever the config says.
 */
export const DEFAULT_APPROVED_MACHINES: readonly { machineType: string; acceleratorType: AcceleratorType }[] =
  [
    { machineType: "n1-standard-4", acceleratorType: "NVIDIA_TESLA_T4" },
    { machineType: "n1-standard-8", acceleratorType: "NVIDIA_TESLA_T4" },
    { machineType: "g2-standard-4", acceleratorType: "NVIDIA_L4" },
    { machineType: "g2-standard-8", acceleratorType: "NVIDIA_L4" },
    { machineType: "g2-standard-12", acceleratorType: "NVIDIA_L4" },
  ];
