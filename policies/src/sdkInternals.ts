/**
 * Two things `@pulumi/policy` exports at run time but whose types it strips (marked
 * @internal): the error its props proxy throws on a value unknown at preview, and the
 * proxy itself (the offline runner wraps props in it, so policies behave as under the CLI).
 */
import * as sdk from "@pulumi/policy";

interface Internals {
  UnknownValueError: abstract new (...args: never[]) => Error;
  unknownCheckingProxy<T>(value: T): T;
}

const internals = sdk as unknown as Internals;

export const UnknownValueError = internals.UnknownValueError;
export const unknownCheckingProxy = internals.unknownCheckingProxy;
