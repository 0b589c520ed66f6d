/**
 * Multi-window, multi-burn-rate alerting (Google SRE workbook, ch. 5): page when the
 * error budget burns fast over both a long window and a short one (the short window
 * makes the alert reset soon after the burn stops), ticket when it burns slowly.
 */

export interface BurnRateWindow {
  /** `fast` pages, `slow` files a ticket. */
  name: "fast" | "slow";
  /** Burn-rate multiple of the sustainable rate that triggers the alert. */
  burnRate: number;
  /** Long lookback, seconds. */
  longWindowSeconds: number;
  /** Short lookback (1/12 of the long one), seconds. */
  shortWindowSeconds: number;
  severity: "CRITICAL" | "WARNING";
}

/** 14.4x over 1 h spends 2% of a 30-day budget; 6x over 6 h spends 5%. */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { name: "fast", burnRate: 14.4, longWindowSeconds: 3600, shortWindowSeconds: 300, severity: "CRITICAL" },
  { name: "slow", burnRate: 6, longWindowSeconds: 6 * 3600, shortWindowSeconds: 1800, severity: "WARNING" },
];

/** Share of the error budget a window spends at its burn rate, over an SLO period of `periodDays`. */
export function budgetSpent(window: BurnRateWindow, periodDays: number): number {
  return (window.burnRate * window.longWindowSeconds) / (periodDays * 86_400);
}
