/**
 * WhatsApp's customer-service window: free-form messages may be sent for 24 hours after the
 * customer's last message; outside it only approved templates go through (error 131047).
 * Pure: the caller passes `now` (from its Clock).
 */

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ServiceWindow {
  /** True while free-form messages may be sent. */
  open: boolean;
  /** When the window closes (or closed); null when the customer never wrote. */
  closesAt: Date | null;
  /** Milliseconds until it closes; 0 when closed. Never more than `SERVICE_WINDOW_MS`. */
  msLeft: number;
}

export function serviceWindow(lastCustomerMessageAt: Date | null, now: Date): ServiceWindow {
  if (lastCustomerMessageAt === null || Number.isNaN(lastCustomerMessageAt.getTime())) {
    return { open: false, closesAt: null, msLeft: 0 };
  }
  const closesAt = new Date(lastCustomerMessageAt.getTime() + SERVICE_WINDOW_MS);
  // A customer timestamp slightly ahead of our clock must not stretch the window past 24 h.
  const msLeft = Math.min(SERVICE_WINDOW_MS, Math.max(0, closesAt.getTime() - now.getTime()));
  return { open: msLeft > 0, closesAt, msLeft };
}
