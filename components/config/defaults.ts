/** Defaults of the stack config's top-level keys (each building block's are beside it, in <block>/defaults.ts). */
export const PLATFORM_DEFAULTS = {
  failoverMode: "standby",
  enableApis: true,
} as const;
