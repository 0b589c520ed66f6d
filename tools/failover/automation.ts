/**
 * `--apply`: runs `pulumi preview` then `pulumi up` for the stack through Pulumi's Automation
 * API (`LocalWorkspace.selectStack` on this repository's project), streaming their output.
 * The Automation API drives the Pulumi CLI, which cannot be installed on the machine this was
 * written on, so this path is NOT tested here; without `--apply` the command prints the two
 * commands instead.
 */
import { automation } from "@pulumi/pulumi";

export async function previewAndUp(
  stackName: string,
  workDir: string,
  write: (text: string) => void,
): Promise<{ preview: automation.PreviewResult; up: automation.UpResult }> {
  const stack = await automation.LocalWorkspace.selectStack({ stackName, workDir });
  const preview = await stack.preview({ diff: true, onOutput: write });
  const up = await stack.up({ onOutput: write });
  return { preview, up };
}
