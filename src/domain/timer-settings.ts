/**
 * The tenant settings of Parley's timers, with their defaults: auto-close after resolution, the
 * daily queue report's local time, and the warning before WhatsApp's 24-hour window closes.
 */
import type { TenantSettings } from './records.js';
import { parseClockTime } from './local-time.js';

/** Zendesk's default: resolved tickets close after 4 days. */
export const DEFAULT_AUTO_CLOSE_AFTER_HOURS = 96;
export const DEFAULT_DAILY_REPORT_TIME = '08:30';
export const DEFAULT_WHATSAPP_WINDOW_WARNING_MINUTES = 60;

/** Hours a resolved ticket waits before it closes by itself; null = never. */
export function autoCloseAfterHours(settings: TenantSettings): number | null {
  const value = settings.auto_close_after_hours;
  return value === undefined ? DEFAULT_AUTO_CLOSE_AFTER_HOURS : value;
}

/** Minutes after local midnight when the daily report goes out; null = no report. */
export function dailyReportMinutes(settings: TenantSettings): number | null {
  const value = settings.daily_report_time;
  if (value === null) return null;
  return parseClockTime(value ?? DEFAULT_DAILY_REPORT_TIME);
}

/** Minutes before WhatsApp's window closes that the assignee is warned; null = no warning. */
export function whatsappWindowWarningMinutes(settings: TenantSettings): number | null {
  const value = settings.whatsapp_window_warning_minutes;
  return value === undefined ? DEFAULT_WHATSAPP_WINDOW_WARNING_MINUTES : value;
}
