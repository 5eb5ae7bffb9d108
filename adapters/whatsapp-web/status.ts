/** What the WhatsApp Web session is doing, for logs, the admin page and readiness. */
export type WhatsAppWebState = 'starting' | 'qr' | 'ready' | 'disconnected' | 'auth_failure';

export interface WhatsAppWebStatus {
  state: WhatsAppWebState;
  /** The raw QR string while waiting for a phone to link; null otherwise. */
  qr: string | null;
  since: Date;
  /** Why it is disconnected or failed (library reason or error message). */
  detail: string | null;
}
