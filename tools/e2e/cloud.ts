/**
 * The real parts of `npm run e2e`: the stack through Pulumi's Automation API (it runs the
 * `pulumi` CLI, which must be installed and logged in), and the deployed data path through
 * the Pub/Sub and BigQuery clients with Application Default Credentials. Not run here (no
 * cloud, no CLI): the orchestration in harness.ts is what the tests cover.
 */
import { BigQuery } from "@google-cloud/bigquery";
import { PubSub, type Message } from "@google-cloud/pubsub";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { newDeploymentId } from "../../components/encryption/keyRingName";
import type { E2eClients, E2eStack, PredictionWatch } from "./harness";

/** An existing stack of the project in `workDir` (create it first with `pulumi stack init`). */
export async function automationStack(
  stackName: string,
  workDir: string,
  log: (line: string) => void,
): Promise<E2eStack> {
  const stack = await LocalWorkspace.selectStack({ stackName, workDir });
  const onOutput = (out: string) => log(out.trimEnd());
  return {
    up: async () => {
      const result = await stack.up({ onOutput });
      return { outputs: Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value])) };
    },
    preview: async () => ({ changeSummary: (await stack.preview()).changeSummary }),
    destroy: async () => {
      await stack.destroy({ onOutput });
      // The destroyed key rings' names stay taken (KMS never deletes them): the next `up` needs a new id.
      const deploymentId = newDeploymentId();
      await stack.setConfig("deploymentId", { value: deploymentId });
      log(`deploymentId set to ${deploymentId} for the next up (the destroyed key ring names stay taken)`);
    },
  };
}

function output(outputs: Record<string, unknown>, name: string): string {
  const value = outputs[name];
  if (typeof value !== "string" || value === "") {
    throw new Error(`the stack has no output "${name}" (see index.ts); got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Pub/Sub and BigQuery clients for the stack's outputs (`index.ts` exports these names). */
export async function cloudClients(outputs: Record<string, unknown>): Promise<E2eClients> {
  const projectId = output(outputs, "projectId");
  const eventsTopic = output(outputs, "eventsTopic");
  const predictionsTopic = output(outputs, "predictionsTopic");
  const table = output(outputs, "predictionsTable");
  const pubsub = new PubSub({ projectId });
  const bigquery = new BigQuery({ projectId });

  return {
    async watchPredictions(): Promise<PredictionWatch> {
      // A subscription of the run's own, deleted afterwards; it expires by itself if the run dies.
      const [subscription] = await pubsub
        .topic(predictionsTopic)
        .createSubscription(`e2e-${Date.now()}`, { expirationPolicy: { ttl: { seconds: 86_400 } } });
      const seen = new Map<string, number>();
      subscription.on("message", (message: Message) => {
        try {
          // Predictions carry the input's message id (contract/messages.ts, PredictionRecord.messageId).
          const { messageId } = JSON.parse(message.data.toString("utf8")) as { messageId?: unknown };
          if (typeof messageId === "string" && !seen.has(messageId)) seen.set(messageId, Date.now());
        } catch {
          // Not a prediction of ours: leave it to count as missing.
        }
        message.ack();
      });
      subscription.on("error", (err: Error) =>
        process.stderr.write(`predictions subscription: ${err.message}\n`),
      );
      return {
        seen: () => seen,
        close: async () => {
          await subscription.close();
          await subscription.delete();
        },
      };
    },
    async publish(events) {
      const topic = pubsub.topic(eventsTopic);
      return Promise.all(events.map((event) => topic.publishMessage({ json: event })));
    },
    async countRows(messageIds) {
      const [rows] = await bigquery.query({
        query: `SELECT COUNT(DISTINCT messageId) AS n FROM \`${table}\` WHERE messageId IN UNNEST(@ids)`,
        params: { ids: [...messageIds] },
      });
      return Number((rows as { n?: number }[])[0]?.n ?? 0);
    },
  };
}
