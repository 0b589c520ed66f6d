/**
 * Pub/Sub's per-message and per-request limits, and the rules the worker follows to stay
 * within them. The emulator accepts what the service refuses (an attribute value over
 * 1,024 bytes, more than 100 attributes), so the local twin checks every output against
 * these numbers too (`local/outcomes/collector.ts`).
 *
 * Source: https://cloud.google.com/pubsub/quotas#resource_limits ("Attributes per message:
 * 100; Attribute key size: 256 bytes; Attribute value size: 1024 bytes; Message size: 10MB;
 * Publish request: 10MB total, 1,000 messages"). The service counts key and value sizes in
 * UTF-8 bytes, not characters (googleapis/java-pubsub#2312: "a key that is too long. The
 * length is 257 ..., the maximum allowed is 256"), and refuses a request over 10,485,760
 * bytes (apache/beam#23022). The message is `google.pubsub.v1.PubsubMessage` (bytes data,
 * map<string, string> attributes, string ordering_key) in the pubsub.proto shipped with
 * @google-cloud/pubsub (build/protos/google/pubsub/v1/pubsub.proto).
 */

export const PUBSUB_LIMITS = {
  attributesPerMessage: 100,
  attributeKeyBytes: 256,
  attributeValueBytes: 1024,
  /**
   * "10MB": we take the decimal reading (10,000,000), the smaller of the two, so what passes
   * here passes the service whichever it means. Data plus attribute keys and values count
   * (apache/beam#23022: attributes count towards the request limit).
   */
  messageBytes: 10_000_000,
  publishRequestBytes: 10_000_000,
  publishRequestMessages: 1_000,
} as const;

/** Marks a value cut to fit an attribute; the whole value is in the message body. */
export const TRUNCATION_MARK = "...";

/** Size of a message as the limits count it: data, plus every attribute key and value, in bytes. */
export function pubsubMessageBytes(message: { data: Buffer; attributes: Record<string, string> }): number {
  let bytes = message.data.length;
  for (const [key, value] of Object.entries(message.attributes))
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  return bytes;
}

/** What Pub/Sub would refuse in this message (empty: it would accept it). */
export function pubsubMessageProblems(message: {
  data: Buffer;
  attributes: Record<string, string>;
}): string[] {
  const problems: string[] = [];
  const entries = Object.entries(message.attributes);
  if (entries.length > PUBSUB_LIMITS.attributesPerMessage)
    problems.push(`${entries.length} attributes; at most ${PUBSUB_LIMITS.attributesPerMessage}`);
  for (const [key, value] of entries) {
    const keyBytes = Buffer.byteLength(key);
    if (keyBytes > PUBSUB_LIMITS.attributeKeyBytes)
      problems.push(`attribute key of ${keyBytes} bytes; at most ${PUBSUB_LIMITS.attributeKeyBytes}`);
    const valueBytes = Buffer.byteLength(value);
    if (valueBytes > PUBSUB_LIMITS.attributeValueBytes)
      problems.push(
        `attribute "${key.slice(0, 64)}" has a value of ${valueBytes} bytes; at most ${PUBSUB_LIMITS.attributeValueBytes}`,
      );
  }
  const bytes = pubsubMessageBytes(message);
  if (bytes > PUBSUB_LIMITS.messageBytes)
    problems.push(`message of ${bytes} bytes; at most ${PUBSUB_LIMITS.messageBytes}`);
  if (message.data.length === 0 && entries.length === 0)
    problems.push("no data and no attributes (PubsubMessage needs one or the other)");
  return problems;
}

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes, ending in `TRUNCATION_MARK` when cut, never
 * splitting a character. The rule for attribute values the worker copies (entity id, error
 * message): bounded here, whole in the body.
 */
export function boundToBytes(text: string, maxBytes: number = PUBSUB_LIMITS.attributeValueBytes): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(TRUNCATION_MARK);
  let out = "";
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > budget) break;
    out += char;
    used += size;
  }
  return `${out}${TRUNCATION_MARK}`;
}

// ---- The rule for dead letters (worker/src/publisher.ts deadLetterMessage) ----

/** Attributes of a dead letter that only appear when the input's attributes did not fit. */
export const DEAD_LETTER_ATTRIBUTES = {
  /** `DEAD_LETTER_ENVELOPE_VERSION`: the body is a `DeadLetterEnvelope`, not the input's data. */
  body: "dlq.body",
  /** How many input attributes the dead letter could not carry (only when even the envelope was too large). */
  attributesLeftOut: "dlq.attributesLeftOut",
} as const;
export const DEAD_LETTER_ENVELOPE_VERSION = "envelope-v1";

/**
 * The body of a dead letter whose input attributes did not fit beside the worker's own
 * (more than 100 together, or over the message size): the input whole, for a replay.
 */
export interface DeadLetterEnvelope {
  /** The input's data, base64. */
  data: string;
  /** The input's attributes, all of them. */
  attributes: Record<string, string>;
}
