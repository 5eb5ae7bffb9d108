/** Use-case inputs, already validated at the edge (zod in src/http). Snake_case as in the contract. */
import type { TicketLinks } from '../domain/records.js';
import type {
  AgentRole,
  Channel,
  Priority,
  ResolutionCode,
  TicketKind,
  TicketStatus,
} from '../domain/vocabulary.js';
import type { TicketSort } from '../ports/stores.js';

export interface CustomerInput {
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  external_id?: string | undefined;
  telegram_id?: string | undefined;
  whatsapp_id?: string | undefined;
  /** A web-chat session (anonymous visitors are known by their session). */
  webchat_session?: string | undefined;
  language?: string | undefined;
}

export interface AttachmentInput {
  file_name: string;
  mime_type: string;
  data_base64: string;
}

export interface CreateTicketInput {
  customer: CustomerInput;
  subject: string;
  description?: string | undefined;
  category: string;
  priority?: Priority | undefined;
  kind?: TicketKind | undefined;
  channel?: Channel | undefined;
  links?: TicketLinks | undefined;
  delivery_date?: string | undefined;
  attachments?: AttachmentInput[] | undefined;
}

export interface ResolutionInput {
  code: ResolutionCode;
  notes?: string | undefined;
  reference?: string | undefined;
}

export interface UpdateTicketInput {
  status?: TicketStatus | undefined;
  priority?: Priority | undefined;
  category?: string | undefined;
  assignee_id?: string | null | undefined;
  links?: TicketLinks | undefined;
  resolution?: ResolutionInput | undefined;
}

export interface ListTicketsInput {
  status?: TicketStatus[] | undefined;
  priority?: Priority[] | undefined;
  category?: string[] | undefined;
  /** An agent id, `me`, or `none` for unassigned. */
  assignee_id?: string | undefined;
  customer_id?: string | undefined;
  overdue?: boolean | undefined;
  q?: string | undefined;
  sort?: TicketSort | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface AddMessageInput {
  body: string;
  internal?: boolean | undefined;
  attachments?: AttachmentInput[] | undefined;
  /** The surface it was written on (`slack`): that surface already shows it. Not part of the REST body. */
  origin?: 'slack' | 'telegram' | undefined;
  /** Where it was written in Slack (an agent's thread reply): delivery marks go there. */
  workspaceRef?: { channel: string; ts: string } | undefined;
}

export interface CreateAgentInput {
  name: string;
  email?: string | undefined;
  role: AgentRole;
  slack_user_id?: string | undefined;
  telegram_user_id?: string | undefined;
  capacity?: number | undefined;
  groups?: string[] | undefined;
}
