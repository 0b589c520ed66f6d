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

/**
 * The model answered, but not with something the worker can use: a body that is not JSON or
 * has no predictions (the whole answer), or predictions out of spec (`validatePredictions`).
 */
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

/**
 * The model's own message when a prediction is an error for its instance: `{"error": "..."}` or
 * `{"error": {"message": "..."}}`, the form custom serving containers commonly use (Vertex's
 * PredictResponse has no per-instance error field: aiplatform v1 prediction_service.proto).
 */
export function modelErrorOf(prediction: JsonValue): string | undefined {
  if (prediction === null || typeof prediction !== "object" || Array.isArray(prediction)) return undefined;
  const error = prediction.error;
  if (typeof error === "string") return error;
  if (error !== null && typeof error === "object" && !Array.isArray(error)) {
    const message = error.message;
    if (typeof message === "string") return message;
  }
  return undefined;
}

/** The prediction's JSON for a message, cut at 200 characters (a prediction may be large). */
function shown(prediction: JsonValue): string {
  const json = JSON.stringify(prediction);
  return json.length > 200 ? `${json.slice(0, 197)}...` : json;
}

function checkOne(prediction: JsonValue, index: number, output: OutputSpec): CheckedPrediction {
  const checked: CheckedPrediction = { prediction };
  const modelError = modelErrorOf(prediction);
  const fail = (expected: string) =>
    new ModelAnswerError(
      modelError !== undefined
        ? `the model answered an error for instance ${index}: ${modelError}`
        : `prediction ${index} is ${shown(prediction)}; expected ${expected}`,
    );
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

/** One instance's share of an answer whose count was right. */
export type CheckedInstance = { ok: true; prediction: CheckedPrediction } | { ok: false; message: string };

/**
 * Checks each prediction on its own (the count must already match): a bad prediction is its
 * instance's problem, not its batch-mates'.
 */
export function checkEachPrediction(
  raw: readonly JsonValue[],
  output: OutputSpec = DEFAULT_OUTPUT_SPEC,
): CheckedInstance[] {
  return raw.map((prediction, index) => {
    try {
      return { ok: true, prediction: checkOne(prediction, index, output) };
    } catch (err) {
      if (!(err instanceof ModelAnswerError)) throw err;
      return { ok: false, message: err.message };
    }
  });
}
