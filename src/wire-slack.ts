/**
 * The Slack workspace: every ticket is a card in the triage channel whose thread is the ticket's
 * conversation; `/ticket`, buttons and modals run the agents' grammar; thread replies become
 * notes (or customer replies, per SLACK_THREAD_REPLIES). Events are acknowledged at once and
 * deduplicated on Slack's event id through the inbound queue (bolt does not dedupe retries).
 * They arrive signed at `POST /slack/events`, or over Socket Mode when SLACK_APP_TOKEN is set;
 * both go through the same `dispatch`.
 */
import type { Logger } from 'pino';
import { isEdit, isHumanMessage, parseSlackRequest } from '../adapters/slack/inbound.js';
import { readDeliveryRetryAction, readEscalationAction } from '../adapters/slack/interactions.js';
import {
  readModalSubmission,
  readTicketAction,
  renderModal,
} from '../adapters/slack/ticket-card.js';
import { type SlackSocket, startSlackSocketMode } from '../adapters/slack/socket-mode.js';
import type { SlackAction, SlackInbound } from '../adapters/slack/types.js';
import { verifySlackRequest } from '../adapters/slack/verify.js';
import { createSlackWebClient } from '../adapters/slack/web-client.js';
import type { AppDeps } from './app/context.js';
import { createPacer, createSharedPacer } from './channel-pacer.js';
import type { ChannelPaceStore } from './ports/channel-pace.js';
import { runSlackCommand, runSlackParsed } from './app/slack-inbound.js';
import { modalCommand } from './slack-modal-commands.js';
import { pacedCalls, slackWorkspace } from './slack-workspace.js';
import { SLACK_DESTINATION, slackSyncSender } from './app/slack-sync.js';
import { type Config, slackWired } from './config.js';
import { cannedReplyNames, reactionShortcuts, shortcutCommand } from './domain/canned-replies.js';
import type { Tenant } from './domain/records.js';
import type { RawRouteSpec } from './http/app.js';
import type { ReplyMode } from './ports/agent-workspace.js';
import type { Sender } from './ports/outbox.js';
import type { RawResponse } from './ports/raw-http.js';
import type { StaffMessenger } from './ports/staff-messenger.js';
import { slackStaffMessenger } from './wire-staff.js';
import { slackAgentDirectory } from './slack-agents.js';
import { INBOUND_SLACK, slackInboundSender } from './slack-inbound-queue.js';
import { PRESENCE_TIMEOUT_MS, slackPresence } from './slack-presence.js';
import type { AgentPresence } from './ports/agent-presence.js';
import { SLACK_COMMAND_DEADLINE_MS, answerWithinDeadline } from './slack-command-deadline.js';
import { slackEscalationHandler } from './wire-slack-escalations.js';
import { slackDeliveryRetryHandler } from './wire-slack-delivery-retry.js';
import { staffTextFor } from './app/staff-text.js';
import { staffLanguage } from './domain/staff-language.js';
import { slackLabelsCache } from './slack-labels.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface WiredSlack {
  senders: Record<string, Sender>;
  /** DMs, the manager channel and ticket threads for team notices (src/wire-staff.ts). */
  staffMessenger: StaffMessenger;
  rawRoutes: RawRouteSpec[];
  notifyDestinations: string[];
  /** Connects Socket Mode when SLACK_APP_TOKEN is set (after auth.test). */
  start(): Promise<void>;
  /** Closes the Socket Mode connection. */
  stop(): Promise<void>;
  /** Agents' Slack presence, for automatic assignment (tenant setting). */
  presence: AgentPresence;
}

export function wireSlack(
  config: Config,
  deps: AppDeps,
  /** The tenant as it is now (its settings can change while we run). */
  tenant: () => Promise<Tenant>,
  logger: Logger,
  overrides: {
    fetch?: typeof fetch;
    paceIntervalMs?: number;
    commandDeadlineMs?: number;
    /** Turns shared with the other Parley processes on this database; absent: this process's own. */
    paceStore?: ChannelPaceStore;
  } = {},
): WiredSlack | null {
  const commandDeadlineMs = overrides.commandDeadlineMs ?? SLACK_COMMAND_DEADLINE_MS;
  const { botToken, signingSecret, triageChannel } = config.slack;
  // Events come signed to /slack/events, or over a Socket Mode connection (local use).
  // The same test as for team notices (src/config/staff-platforms.ts).
  if (!slackWired(config) || !botToken || !triageChannel) return null;
  let socket: SlackSocket | undefined;
  const client = createSlackWebClient({
    token: botToken,
    apiUrl: config.slack.apiUrl,
    timeoutMs: config.platformTimeoutMs,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  });
  const replyMode: ReplyMode =
    config.slack.threadReplies === 'customer' ? 'replies_to_customer' : 'replies_internal';
  // Slack allows about one message per second per channel: take turns rather than collect 429s,
  // reserved in the database so that several Parley processes share a channel's turns.
  // 1.1 s, not 1 s: Slack counts arrivals, and network jitter can bring two calls that left
  // 1,000 ms apart closer than that.
  const pace = { intervalMs: overrides.paceIntervalMs ?? 1100, maxWaitMs: 5000 };
  const pacer = overrides.paceStore
    ? createSharedPacer({ ...pace, store: overrides.paceStore })
    : createPacer(pace);
  let botUserId: string | undefined;
  const { findAgent, resolveUser } = slackAgentDirectory(deps, client, tenant);
  const onEscalation = slackEscalationHandler({ deps, client, tenant, findAgent });
  const onDeliveryRetry = slackDeliveryRetryHandler({ deps, client, tenant, findAgent });
  /** The team's texts and card labels, in the tenant's staff language as it is now. */
  const labelsFor = slackLabelsCache(deps.staff);
  const staffText = async () => staffTextFor(deps, await tenant());
  const labels = async () => labelsFor(staffLanguage((await tenant()).settings));

  const threadProcessor = slackInboundSender({
    deps,
    client,
    tenant,
    agents: { findAgent, resolveUser },
    replyMode,
    logger,
  });

  async function onAction(
    action: SlackAction,
    user: string,
    triggerId: string,
    responseUrl: string | undefined,
  ): Promise<void> {
    const escalation = readEscalationAction(action);
    if (escalation) return onEscalation(escalation, user, triggerId, responseUrl);
    const retry = readDeliveryRetryAction(action);
    if (retry) return onDeliveryRetry(retry, user, responseUrl);
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

  /** `POST /slack/events`: verified (v0 signature, 5-minute window) and parsed, then dispatched. */
  async function handle(req: Parameters<RawRouteSpec['handler']>[0]): Promise<RawResponse> {
    const verified = verifySlackRequest({
      signingSecret: signingSecret!,
      headers: req.headers,
      rawBody: req.rawBody,
      clock: deps.clock,
    });
    if (!verified.ok) {
      // The reason is for logs: telling the caller which check failed helps a forger.
      logger.warn({ reason: verified.reason }, 'slack: request refused');
      return {
        status: 401,
        body: { error: { code: 'unauthorized', message: 'missing or invalid Slack signature' } },
      };
    }
    const parsed = parseSlackRequest(req);
    if (!parsed.ok)
      return { status: 400, body: { error: { code: 'invalid_request', message: parsed.error } } };
    return dispatch(parsed.inbound);
  }

  /** What Slack sent, from the HTTP route or the Socket Mode connection alike: the answer. */
  async function dispatch(inbound: SlackInbound): Promise<RawResponse> {
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
                  ts: ev.ts,
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
    rawRoutes: signingSecret
      ? [{ method: 'post', path: '/slack/events', handler: handle, limit: '1mb' }]
      : [],
    notifyDestinations: [SLACK_DESTINATION],
    // Its own client with a short timeout: assignment asks while it holds the group's lock.
    presence: slackPresence(
      createSlackWebClient({
        token: botToken,
        apiUrl: config.slack.apiUrl,
        timeoutMs: PRESENCE_TIMEOUT_MS,
        ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
      }),
      { clock: deps.clock, logger },
    ),
    async start() {
      botUserId = (
        await client.authTest().catch((err: unknown) => {
          logger.error({ err }, 'Slack auth.test failed: check SLACK_BOT_TOKEN');
          return null;
        })
      )?.user_id;
      if (config.slack.appToken) {
        socket = await startSlackSocketMode({
          appToken: config.slack.appToken,
          apiUrl: config.slack.apiUrl,
          logger,
          // Acknowledged with what the HTTP route would have answered (a command's reply).
          onInbound: async (inbound) => {
            const answer = await dispatch(inbound);
            if (answer.status !== 200) {
              logger.warn(
                { status: answer.status, body: answer.body },
                'slack socket envelope refused',
              );
            }
            return answer.status === 200 && isRecord(answer.body) ? answer.body : undefined;
          },
        });
      }
    },
    async stop() {
      await socket?.stop();
      socket = undefined;
    },
  };
}
