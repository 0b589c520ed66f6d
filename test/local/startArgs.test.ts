import { describe, expect, it } from "vitest";
import { parseStartArgs } from "../../local/startArgs";

describe("npm start arguments", () => {
  it("refuses gRPC on a peering endpoint as a bad argument, before anything starts (start.ts: exit 2)", () => {
    expect(() => parseStartArgs(["--connectivity", "peering", "--protocol", "grpc"])).toThrow(
      /^--protocol grpc needs --connectivity psc: a peering endpoint takes HTTP only\nusage: npm start/,
    );
    expect(parseStartArgs(["--connectivity", "psc", "--protocol", "grpc"])).toMatchObject({
      connectivity: "psc",
      predictProtocol: "grpc",
    });
  });

  it("applies the defaults", () => {
    expect(parseStartArgs([])).toMatchObject({
      messages: 1000,
      rate: 0,
      poisonShare: 0,
      entities: 1000,
      timeoutSeconds: 65,
      json: undefined,
      batchSize: undefined,
    });
  });

  it("reads every option", () => {
    const options = parseStartArgs([
      "--messages",
      "5000",
      "--rate",
      "250",
      "--poison",
      "0.05",
      "--entities",
      "10",
      "--timeout",
      "30",
      "--json",
      "out.json",
      "--batch-size",
      "25",
      "--in-flight",
      "8",
    ]);
    expect(options).toMatchObject({
      messages: 5000,
      rate: 250,
      poisonShare: 0.05,
      entities: 10,
      timeoutSeconds: 30,
      json: "out.json",
      batchSize: 25,
      inFlight: 8,
    });
  });

  it("scales the default timeout with the message count", () => {
    expect(parseStartArgs(["--messages", "20000"])).toMatchObject({ timeoutSeconds: 160 });
  });

  it.each([
    [["--messages", "abc"], '--messages must be a whole number >= 1, got "abc"'],
    [["--messages", "1.5"], '--messages must be a whole number >= 1, got "1.5"'],
    [["--poison", "2"], '--poison must be a number from 0 to 1, got "2"'],
    [["--rate=-1"], '--rate must be a number >= 0, got "-1"'],
    // As a user types it: parseArgs alone would call this "ambiguous" and never give the range.
    [["--rate", "-5"], '--rate must be a number >= 0, got "-5"'],
    [["--poison", "-.5"], '--poison must be a number from 0 to 1, got "-.5"'],
    [["--batch-size", "0"], '--batch-size must be a whole number >= 1, got "0"'],
    [["--bogus"], "Unknown option '--bogus'"],
  ])("rejects %j naming the option and the value", (argv, message) => {
    expect(() => parseStartArgs(argv)).toThrow(message);
  });

  it("returns 'help' for --help", () => {
    expect(parseStartArgs(["--help"])).toBe("help");
  });

  it("runs the scorer by default and the iris classifier on --model iris; refuses other models by name", () => {
    expect(parseStartArgs([])).toMatchObject({ model: "scorer" });
    expect(parseStartArgs(["--model", "iris"])).toMatchObject({ model: "iris" });
    expect(() => parseStartArgs(["--model", "gpt"])).toThrow(
      '--model must be one of scorer, iris, got "gpt"',
    );
  });
});
