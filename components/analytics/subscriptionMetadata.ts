/**
 * A BigQuery subscription with `writeMetadata` writes the message's subscription name,
 * id, publish time and attributes into columns of these names; if the table lacks any
 * of them, every write fails. So metadata is written only when the schema has them all.
 * https://cloud.google.com/pubsub/docs/bigquery#properties_subscription
 */
export const METADATA_COLUMNS = ["subscription_name", "message_id", "publish_time", "attributes"] as const;

/** True when the table schema has every column `writeMetadata` fills. */
export function schemaTakesMetadata(schema: readonly { name: string }[]): boolean {
  const names = new Set(schema.map((field) => field.name));
  return METADATA_COLUMNS.every((column) => names.has(column));
}
