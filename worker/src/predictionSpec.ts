/**
 * The check of a model's answer before anything is used: exactly one prediction per
 * instance, and each as the output spec says (a number at `scoreField`, within its
 * bounds; a string or number at `labelField`). The prediction itself passes through
 * whole; the score and label are extracted for metrics and the BigQuery columns.
 */
import {
  DEFAULT_OUTPUT_SPEC,
  describeValue,
  valueAtPath,
  type JsonValue,
  type OutputSpec,
} from "../../contract";

/** The model answered, but not with one valid prediction per instance. Not retryable. */
export class ModelAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelAnswerError";
  }
}

/** One prediction as the model gave it, with what the output spec extracts. */
export interface CheckedPrediction {
  prediction: JsonValue;
  score?: number;
  label?: string;
}

function scoreRange(output: OutputSpec): string {
  if (output.scoreMin !== undefined && output.scoreMax !== undefined)
    return ` in [${output.scoreMin}, ${output.scoreMax}]`;
  if (output.scoreMin !== undefined) return ` >= ${output.scoreMin}`;
  if (output.scoreMax !== undefined) return ` <= ${output.scoreMax}`;
  return "";
}

function checkOne(prediction: JsonValue, index: number, output: OutputSpec): CheckedPrediction {
  const checked: CheckedPrediction = { prediction };
  const fail = (expected: string) =>
    new ModelAnswerError(`prediction ${index} is ${JSON.stringify(prediction)}; expected ${expected}`);
  if (output.scoreField !== undefined) {
    const score = valueAtPath(prediction, output.scoreField);
    const inRange =
      typeof score === "number" &&
      Number.isFinite(score) &&
      (output.scoreMin === undefined || score >= output.scoreMin) &&
      (output.scoreMax === undefined || score <= output.scoreMax);
    if (!inRange) {
      const got = score === undefined ? "nothing" : describeValue(score);
      throw fail(`a number${scoreRange(output)} at "${output.scoreField}", found ${got}`);
    }
    checked.score = score;
  }
  if (output.labelField !== undefined) {
    const label = valueAtPath(prediction, output.labelField);
    if (typeof label !== "string" && !(typeof label === "number" && Number.isFinite(label))) {
      const got = label === undefined ? "nothing" : describeValue(label);
      throw fail(`a string or number at "${output.labelField}", found ${got}`);
    }
    checked.label = String(label);
  }
  return checked;
}

/** Checks the model's answer: exactly `expected` predictions, each matching `output`. */
export function validatePredictions(
  raw: readonly JsonValue[],
  expected: number,
  output: OutputSpec = DEFAULT_OUTPUT_SPEC,
): CheckedPrediction[] {
  if (raw.length !== expected) {
    throw new ModelAnswerError(`the model returned ${raw.length} predictions for ${expected} instances`);
  }
  return raw.map((prediction, index) => checkOne(prediction, index, output));
}
