/** Reading an InboundEvent: who the customer is, what to record as text, what the flow sees. */
import type { FlowInput } from '../../engine/flow-types.js';
import type { InboundEvent } from '../../ports/channel.js';
import type { CustomerInput } from '../inputs.js';

export function customerOf(event: InboundEvent): CustomerInput {
  const name = event.from.name;
  switch (event.channel) {
    case 'telegram':
      return { telegram_id: event.from.id, name, language: undefined };
    case 'whatsapp':
      return { whatsapp_id: event.from.id, phone: event.from.phone, name };
    case 'webchat':
      return { webchat_session: event.from.id, name };
  }
}

/** The text stored on the customer's message (the ticket thread shows it). */
export function messageBody(event: InboundEvent): string {
  if (event.text) return event.text;
  if (event.command)
    return `/${event.command.name}${event.command.args ? ` ${event.command.args}` : ''}`;
  if (event.buttonPayload) return `[button] ${event.buttonPayload}`;
  if (event.location) {
    const { latitude, longitude, name, address } = event.location;
    return `[location] ${[name, address].filter(Boolean).join(', ')} (${latitude}, ${longitude})`.trim();
  }
  if (event.contact) return `[contact] ${event.contact.name ?? ''} ${event.contact.phone}`.trim();
  if (event.media?.length)
    return event.media.map((m) => `[${m.kind}]${m.fileName ? ` ${m.fileName}` : ''}`).join(' ');
  if (event.kind === 'unsupported') return '[unsupported message]';
  return '';
}

export function flowInputOf(event: InboundEvent): FlowInput {
  const input: FlowInput = {};
  if (event.text) input.text = event.text;
  if (event.buttonPayload) input.buttonPayload = event.buttonPayload;
  if (event.command) input.command = event.command;
  if (event.media?.length) {
    input.media = event.media.map((m) => ({
      kind: m.kind,
      ...(m.mimeType ? { mimeType: m.mimeType } : {}),
    }));
  }
  if (event.location) input.location = event.location;
  if (event.contact)
    input.contact = {
      phone: event.contact.phone,
      ...(event.contact.name ? { name: event.contact.name } : {}),
    };
  return input;
}
