/**
 * The Slack workspace: every ticket is a card in the triage channel whose thread is the ticket's
 * conversation; `/ticket`, buttons and modals run the agents' grammar; thread replies become
 * notes (or customer replies, per SLACK_THREAD_REPLIES). Events are acknowledged at once and
 * deduplicated on Slack's event id through the inbound queue (bolt does not dedupe retries).
 */
import type { Logger } from 'pino';
import { isEdit, isHumanMessage, parseSlackRequest } from '../adapters/slack/inbound.js';
import { readEscalationAction } from '../adapters/slack/interactions.js';
import {
  readModalSubmission,
  readTicketAction,
  renderModal,
} from '../adapters/slack/ticket-card.js';
import type { SlackAction } from '../adapters/slack/types.js';
import { verifySlackRequest } from '../adapters/slack/verify.js';
import { createSlackWebClient } from '../adapters/slack/web-client.js';
import type { AppDeps } from './app/context.js';
import { createPacer } from './channel-pacer.js';
import type { ResolveUser } from './app/run-agent-command.js';
import { handleSlackThreadReply, runSlackCommand, runSlackParsed } from './app/slack-inbound.js';
import { modalCommand } from './slack-modal-commands.js';
import { pacedCalls, slackWorkspace } from './slack-workspace.js';
import { handleSlackReaction } from './app/slack-reactions.js';
import { SLACK_DESTINATION, slackSyncSender } from './app/slack-sync.js';
import type { Config } from './config.js';
import { cannedReplyNames, reactionShortcuts, shortcutCommand } from './domain/canned-replies.js';
import type { Agent, Tenant } from './domain/records.js';
import type { RawRouteSpec } from './http/app.js';
import type { ReplyMode } from './ports/agent-workspace.js';
import type { OutboxRow, SendResult, Sender } from './ports/outbox.js';
import type { RawResponse } from './ports/raw-http.js';
import type { StaffMessenger } from './ports/staff-messenger.js';
import { slackStaffMessenger } from './wire-staff.js';
import { SLACK_COMMAND_DEADLINE_MS, answerWithinDeadline } from './slack-command-deadline.js';
import { slackEscalationHandler } from './wire-slack-escalations.js';
import { staffTextFor } from './app/staff-text.js';
import { staffLanguage } from './domain/staff-language.js';
import { slackLabelsCache } from './slack-labels.js';

const INBOUND_SLACK = 'inbound:slack';

export interface WiredSlack {
  senders: Record<string, Sender>;
  /** DMs, the manager channel and ticket threads for team notices (src/wire-staff.ts). */
  staffMessenger: StaffMessenger;
  rawRoutes: RawRouteSpec[];
  notifyDestinations: string[];
  start(): Promise<void>;
}

export function wireSlack(
  config: Config,
  deps: AppDeps,
  /** The tenant as it is now (its settings can change while we run). */
  tenant: () => Promise<Tenant>,
  logger: Logger,
  overrides: { fetch?: typeof fetch; paceIntervalMs?: number; commandDeadlineMs?: number } = {},
): WiredSlack | null {
  const commandDeadlineMs = overrides.commandDeadlineMs ?? SLACK_COMMAND_DEADLINE_MS;
  const { botToken, signingSecret, triageChannel } = config.slack;
  if (!botToken || !signingSecret || !triageChannel) return null;
  const client = createSlackWebClient({
    token: botToken,
    apiUrl: config.slack.apiUrl,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  });
  const replyMode: ReplyMode =
    config.slack.threadReplies === 'customer' ? 'replies_to_customer' : 'replies_internal';
  // Slack allows about one message per second per channel: take turns rather than collect 429s.
  // 1.1 s, not 1 s: Slack counts arrivals, and network jitter can bring two calls that left
  // 1,000 ms apart closer than that.
  const pacer = createPacer({ intervalMs: overrides.paceIntervalMs ?? 1100, maxWaitMs: 5000 });
  let botUserId: string | undefined;
  const emails = new Map<string, string | null>();

  async function findAgent(slackUserId: string): Promise<Agent | null> {
    const agents = await deps.uow.read.agents.list((await tenant()).id);
    const byId = agents.find((a) => a.slackUserId === slackUserId);
    if (byId) return byId.active ? byId : null;
    if (!emails.has(slackUserId)) {
      emails.set(
        slackUserId,
        (await client.usersInfo(slackUserId).catch(() => null))?.email?.toLowerCase() ?? null,
      );
    }
    const email = emails.get(slackUserId);
    return (email && agents.find((a) => a.email === email && a.active)) || null;
  }
  const resolveUser: ResolveUser = async (mention) => {
    if (mention.kind === 'slack') return findAgent(mention.userId);
    const agents = await deps.uow.read.agents.list((await tenant()).id);
    if (mention.kind === 'email')
      return agents.find((a) => a.email === mention.email.toLowerCase()) ?? null;
    return agents.find((a) => a.name === mention.username) ?? null;
  };

  const onEscalation = slackEscalationHandler({ deps, client, tenant, findAgent });
  /** The team's texts and card labels, in the tenant's staff language as it is now. */
  const labelsFor = slackLabelsCache(deps.staff);
  const staffText = async () => staffTextFor(deps, await tenant());
  const labels = async () => labelsFor(staffLanguage((await tenant()).settings));

  /** A reaction shortcut on a card, once per Slack event; its answer is ephemeral, like a button's. */
  async function onReaction(r: { channel: string; ts: string; user: string; reaction: string }) {
    const outcome = await handleSlackReaction(
      deps,
      await tenant(),
      await findAgent(r.user),
      { channel: r.channel, ts: r.ts, name: r.reaction },
      resolveUser,
    );
    if (!outcome.ran) return;
    await client
      .postEphemeral({ channel: r.channel, user: r.user, text: outcome.result.text })
      .catch((err: unknown) => logger.warn({ err }, 'slack reaction answer failed'));
  }

  const threadProcessor: Sender = {
    async send(row: OutboxRow): Promise<SendResult> {
      if (row.payload.reaction) {
        try {
          await onReaction(
            row.payload.reaction as { channel: string; ts: string; user: string; reaction: string },
          );
          return { ok: true };
        } catch (err) {
          return { ok: false, error: err instanceof Error ? err.message : String(err) };
        }
      }
      const ev = row.payload.event as {
        channel: string;
        thread_ts: string;
        user: string;
        text: string;
      };
      try {
        const outcome = await handleSlackThreadReply(
          deps,
          await tenant(),
          await findAgent(ev.user),
          { channel: ev.channel, threadTs: ev.thread_ts, text: ev.text },
          replyMode,
        );
        if (outcome === 'not_an_agent') {
          await client.postEphemeral({
            channel: ev.channel,
            user: ev.user,
            thread_ts: ev.thread_ts,
            text: (await staffText())('command.not_an_agent'),
          });
        }
        return { ok: true };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },
  };

  async function onAction(
    action: SlackAction,
    user: string,
    triggerId: string,
    responseUrl: string | undefined,
  ): Promise<void> {
    const escalation = readEscalationAction(action);
    if (escalation) return onEscalation(escalation, user, triggerId, responseUrl);
    const ticketAction = readTicketAction(action);
    if (!ticketAction) return;
    const { kind, ticketNumber, choice } = ticketAction;
    if (kind === 'assign' || kind === 'resolve' || kind === 'note' || kind === 'reply') {
      await client.openView(triggerId, renderModal(kind, ticketNumber, { labels: await labels() }));
      return;
    }
    if (kind === 'canned') {
      const replies = (await tenant()).settings.canned_replies;
      const names = cannedReplyNames(replies);
      if (names.length > 0) {
        const cannedReplies = names.map((name) => ({ name, preview: replies?.[name]?.en ?? '' }));
        await client.openView(
          triggerId,
          renderModal('canned', ticketNumber, { cannedReplies, labels: await labels() }),
        );
      } else if (responseUrl) {
        await client.respond(responseUrl, {
          response_type: 'ephemeral',
          replace_original: false,
          text: (await staffText())('command.canned_not_set_up'),
        });
      }
      return;
    }
    const text =
      kind === 'claim' ? `claim ${ticketNumber}` : `${kind} ${ticketNumber} ${choice ?? ''}`;
    const result = await runSlackCommand(
      deps,
      await tenant(),
      await findAgent(user),
      text,
      resolveUser,
    );
    if (responseUrl)
      await client.respond(responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        text: result.text,
      });
  }

  async function handle(req: Parameters<RawRouteSpec['handler']>[0]): Promise<RawResponse> {
    const verified = verifySlackRequest({
      signingSecret: signingSecret!,
      headers: req.headers,
      rawBody: req.rawBody,
      clock: deps.clock,
    });
    if (!verified.ok)
      return { status: 401, body: { error: { code: 'unauthorized', message: verified.reason } } };
    const parsed = parseSlackRequest(req);
    if (!parsed.ok)
      return { status: 400, body: { error: { code: 'invalid_request', message: parsed.error } } };
    const inbound = parsed.inbound;
    switch (inbound.kind) {
      case 'url_verification':
        return { status: 200, body: { challenge: inbound.challenge } };
      case 'event': {
        const ev = inbound.event;
        if (
          ev.type === 'message' &&
          ev.thread_ts &&
          ev.thread_ts !== ev.ts &&
          !isEdit(ev) &&
          isHumanMessage(ev, botUserId) &&
          ev.user
        ) {
          const tenantId = (await tenant()).id;
          await deps.uow.transaction((s) =>
            s.outbox.enqueue({
              tenantId,
              destination: INBOUND_SLACK,
              orderingKey: `slack:${ev.channel}:${ev.thread_ts}`,
              dedupeKey: `slack:${inbound.team_id}:${inbound.event_id}`,
              payload: {
                event: {
                  channel: ev.channel,
                  thread_ts: ev.thread_ts,
                  user: ev.user,
                  text: ev.text,
                },
              },
            }),
          );
          deps.onOutboxWrite?.();
        }
        // A reaction on a card runs the tenant's shortcut; the queue's dedupe key makes a
        // retried event (same event id) run it once. Unmapped emoji are not even queued.
        if (ev.type === 'reaction_added' && ev.user !== botUserId) {
          const t = await tenant();
          const tenantId = t.id;
          if (!shortcutCommand(reactionShortcuts(t.settings), ev.reaction)) return { status: 200 };
          await deps.uow.transaction((s) =>
            s.outbox.enqueue({
              tenantId,
              destination: INBOUND_SLACK,
              orderingKey: `slack:${ev.item.channel}:${ev.item.ts}`,
              dedupeKey: `slack:${inbound.team_id}:${inbound.event_id}`,
              payload: {
                reaction: {
                  channel: ev.item.channel,
                  ts: ev.item.ts,
                  user: ev.user,
                  reaction: ev.reaction,
                },
              },
            }),
          );
          deps.onOutboxWrite?.();
        }
        return { status: 200 };
      }
      case 'slash_command': {
        const work = (async () =>
          runSlackCommand(
            deps,
            await tenant(),
            await findAgent(inbound.user_id),
            inbound.text,
            resolveUser,
          ))();
        const answer = await answerWithinDeadline(work, commandDeadlineMs, (later) => {
          later
            .then((r) => r.text)
            .catch(async (err: unknown) => {
              logger.error({ err }, 'slack command failed');
              return (await staffText())('command.failed');
            })
            .then((text) =>
              client.respond(inbound.response_url, { response_type: 'ephemeral', text }),
            )
            .catch((err: unknown) => logger.warn({ err }, 'slack response_url post failed'));
        });
        const text = answer.onTime ? answer.value.text : (await staffText())('command.working');
        return { status: 200, body: { response_type: 'ephemeral', text } };
      }
      case 'block_actions': {
        const [action] = inbound.actions;
        if (action) {
          void onAction(action, inbound.user.id, inbound.trigger_id, inbound.response_url).catch(
            (err: unknown) => logger.warn({ err }, 'slack action failed'),
          );
        }
        return { status: 200 };
      }
      case 'view_submission': {
        const submitted = readModalSubmission(inbound.view);
        if (!submitted) return { status: 200 };
        const result = await runSlackParsed(
          deps,
          await tenant(),
          await findAgent(inbound.user.id),
          modalCommand(submitted),
          resolveUser,
        );
        if (!result.ok) {
          await client
            .postEphemeral({
              channel: config.slack.triageChannel!,
              user: inbound.user.id,
              text: result.text,
            })
            .catch(() => undefined);
        }
        return { status: 200 };
      }
      default:
        return { status: 200 };
    }
  }

  return {
    senders: {
      [SLACK_DESTINATION]: slackSyncSender(deps, slackWorkspace(client, pacer, labelsFor), {
        triageChannel,
        replyMode,
      }),
      [INBOUND_SLACK]: threadProcessor,
    },
    staffMessenger: slackStaffMessenger(client, pacedCalls(pacer)),
    rawRoutes: [{ method: 'post', path: '/slack/events', handler: handle, limit: '1mb' }],
    notifyDestinations: [SLACK_DESTINATION],
    async start() {
      botUserId = (
        await client.authTest().catch((err: unknown) => {
          logger.error({ err }, 'Slack auth.test failed: check SLACK_BOT_TOKEN');
          return null;
        })
      )?.user_id;
    },
  };
}
