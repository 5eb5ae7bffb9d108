/** Agent schemas: the create body and the answers. */
import * as z from 'zod';
import { AGENT_ROLES } from '../../domain/vocabulary.js';
import { email, isoDateTime, listEnvelope, text } from './common.js';

export const AgentRoleEnum = z.enum(AGENT_ROLES);

export const CreateAgentBody = z
  .object({
    name: text(200),
    email: email().optional(),
    role: AgentRoleEnum,
    slack_user_id: text(64).optional(),
    telegram_user_id: text(64).optional(),
    capacity: z.number().int().min(0).max(10_000).optional(),
    groups: z.array(text(64)).max(50).optional(),
  })
  .strict();

export const AgentJson = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: AgentRoleEnum,
  slack_user_id: z.string().nullable(),
  telegram_user_id: z.string().nullable(),
  active: z.boolean(),
  capacity: z.number().int().nullable(),
  groups: z.array(z.string()),
  created_at: isoDateTime(),
});
export type AgentBody = z.output<typeof AgentJson>;

export const AgentList = listEnvelope(AgentJson);

export const ApiKeyJson = z.object({
  api_key: z.string().meta({ description: 'Shown once; store it now.' }),
});
