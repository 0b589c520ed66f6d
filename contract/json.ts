/** A JSON value: what a Vertex AI instance, a request's `parameters` and a prediction are on the wire. */
export type JsonValue = null | number | string | boolean | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object (a request's `parameters`, an object-shaped instance). */
export type JsonObject = { [key: string]: JsonValue };
