/** Agent groups (queues): create/update bodies and the answer. */
import * as z from 'zod';
import { ASSIGNMENT_STRATEGIES } from '../../domain/assignment.js';
import { id, listEnvelope, text } from './common.js';

const slackChannelId = z
  .string()
  .regex(/^[CG][A-Z0-9]{2,20}$/, { error: 'Expected a Slack channel id such as C0123ABCD' })
  .nullable()
  .meta({ description: "Where the group's ticket cards are posted; null = SLACK_TRIAGE_CHANNEL" });

const fields = {
  name: text(80),
  slack_channel_id: slackChannelId.optional(),
  assignment: z
    .enum(ASSIGNMENT_STRATEGIES)
    .optional()
    .meta({ description: 'manual (claims), round_robin or least_loaded among available members' }),
  members: z
    .array(id())
    .max(500)
    .optional()
    .meta({ description: 'Agent ids; replaces the members' }),
};

export const CreateGroupBody = z.object(fields).strict();
export const UpdateGroupBody = z.object({ ...fields, name: fields.name.optional() }).strict();

export const GroupJson = z.object({
  id: z.string(),
  name: z.string(),
  slack_channel_id: z.string().nullable(),
  assignment: z.enum(ASSIGNMENT_STRATEGIES),
  members: z.array(z.string()),
  created_at: z.string(),
});
export type GroupBody = z.output<typeof GroupJson>;

export const GroupList = listEnvelope(GroupJson);
