/**
 * `OutboundMessage` → the ordered Cloud API request bodies that deliver it (pure). Media is a
 * step of its own because its id comes from an upload made at send time.
 *  - template: one template message (nothing else is allowed outside the 24-hour window);
 *  - media: upload + media message, the caption (or a short text) riding along when the type
 *    takes one;
 *  - list, or more than 3 buttons: a list message; up to 3 buttons: reply buttons. The text is
 *    the body; what does not fit goes first as plain text;
 *  - text: split into ≤4096-character messages, in order.
 */
import type {
  MediaKind,
  OutboundButton,
  OutboundListRow,
  OutboundMessage,
} from '../../src/ports/channel.js';
import { localError } from './graph-errors.js';
import { LIMITS, splitTail, splitText, truncate } from './text-limits.js';

export type JsonBody = Record<string, unknown>;
export type WaMediaType = 'image' | 'document' | 'audio' | 'video' | 'sticker';

export type SendStep =
  | { kind: 'json'; body: JsonBody }
  | {
      kind: 'media';
      to: string;
      type: WaMediaType;
      media: NonNullable<OutboundMessage['media']>;
      caption?: string;
    };

export interface PlanOptions {
  /** Label of the list button when buttons are sent as a list (≤20 chars). */
  listButtonText: string;
}

const MEDIA_TYPE: Record<MediaKind, WaMediaType> = {
  photo: 'image',
  document: 'document',
  audio: 'audio',
  voice: 'audio',
  video: 'video',
  sticker: 'sticker',
};
const CAPTIONED = new Set<WaMediaType>(['image', 'video', 'document']);

const invalidMessage = (code: string, message: string) =>
  localError('send', code, message, { permanent: true });

const envelope = (to: string) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
});

export function textBody(to: string, body: string): JsonBody {
  return { ...envelope(to), type: 'text', text: { preview_url: false, body } };
}

export function buttonsBody(to: string, body: string, buttons: OutboundButton[]): JsonBody {
  return {
    ...envelope(to),
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: body },
      action: {
        buttons: buttons.map((b) => ({
          type: 'reply',
          reply: { id: b.id, title: truncate(b.title, LIMITS.buttonTitle) },
        })),
      },
    },
  };
}

export function listBody(
  to: string,
  body: string,
  buttonText: string,
  rows: OutboundListRow[],
): JsonBody {
  return {
    ...envelope(to),
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body },
      action: {
        button: truncate(buttonText, LIMITS.listButton),
        sections: [
          {
            rows: rows.map((r) => ({
              id: r.id,
              title: truncate(r.title, LIMITS.rowTitle),
              ...(r.description
                ? { description: truncate(r.description, LIMITS.rowDescription) }
                : {}),
            })),
          },
        ],
      },
    },
  };
}

export function templateBody(to: string, t: NonNullable<OutboundMessage['template']>): JsonBody {
  return {
    ...envelope(to),
    type: 'template',
    template: {
      name: t.name,
      language: { code: t.language },
      ...(t.bodyParams.length > 0
        ? {
            components: [
              { type: 'body', parameters: t.bodyParams.map((text) => ({ type: 'text', text })) },
            ],
          }
        : {}),
    },
  };
}

export function mediaBody(
  to: string,
  type: WaMediaType,
  mediaId: string,
  extra: { caption?: string; fileName?: string } = {},
): JsonBody {
  const media: JsonBody = { id: mediaId };
  if (extra.caption && CAPTIONED.has(type)) media.caption = extra.caption;
  if (extra.fileName && type === 'document') media.filename = extra.fileName;
  return { ...envelope(to), type, [type]: media };
}

const joinText = (...parts: (string | undefined)[]) =>
  parts.filter((p): p is string => !!p && p.trim() !== '').join('\n\n') || undefined;

function interactiveStep(message: OutboundMessage, to: string, text: string, opts: PlanOptions) {
  const buttons = message.buttons ?? [];
  const rows = message.list?.rows.length
    ? message.list.rows
    : buttons.length > LIMITS.buttons
      ? buttons
      : undefined;
  if (rows && rows.length > LIMITS.rows) {
    throw invalidMessage(
      'too_many_options',
      `WhatsApp lists take at most ${LIMITS.rows} rows (got ${rows.length})`,
    );
  }
  const { head, tail } = splitTail(text, rows ? LIMITS.listBody : LIMITS.buttonsBody);
  const body = rows
    ? listBody(to, tail, message.list?.buttonText || opts.listButtonText, rows)
    : buttonsBody(to, tail, buttons);
  return { head, body };
}

/** The steps that deliver `message`, in order; throws a permanent error when it cannot be sent. */
export function planMessage(message: OutboundMessage, opts: PlanOptions): SendStep[] {
  const to = message.chatId.replace(/^\+/, '');
  if (message.template) return [{ kind: 'json', body: templateBody(to, message.template) }];

  const steps: SendStep[] = [];
  const interactive = (message.buttons?.length ?? 0) > 0 || (message.list?.rows.length ?? 0) > 0;
  let text = joinText(message.text);
  if (message.media) {
    const type = MEDIA_TYPE[message.media.kind];
    let caption = message.media.caption;
    if (!caption && text && !interactive && CAPTIONED.has(type) && text.length <= LIMITS.caption) {
      caption = text;
      text = undefined;
    }
    const fits = caption && CAPTIONED.has(type) && Array.from(caption).length <= LIMITS.caption;
    steps.push({ kind: 'media', to, type, media: message.media, ...(fits ? { caption } : {}) });
    if (!fits) text = joinText(caption, text);
  }
  if (interactive) {
    if (!text) throw invalidMessage('body_required', 'WhatsApp buttons and lists need a text');
    const { head, body } = interactiveStep(message, to, text, opts);
    if (head)
      for (const piece of splitText(head)) steps.push({ kind: 'json', body: textBody(to, piece) });
    steps.push({ kind: 'json', body });
  } else if (text) {
    for (const piece of splitText(text)) steps.push({ kind: 'json', body: textBody(to, piece) });
  }
  if (steps.length === 0) throw invalidMessage('empty_message', 'nothing to send');
  return steps;
}
