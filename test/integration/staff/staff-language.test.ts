/**
 * `staff_language`: with the tenant's team language set to Spanish, what agents read comes out in
 * Spanish — the Slack card, a `/ticket` answer, the escalation ladder's pings and their buttons,
 * the Assign modal — and back in English when the setting is changed back. Monday 2 March 2026, UTC.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../adapters/slack/verify.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack-api.js';
import { outboxDrained, waitFor } from '../../support/chat-driver.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';
import { clickSlackButton, staffRows, ticketIdOf } from '../sla/sla-helpers.js';

const SLACK_TOKEN = 'xoxb-staff-language';
const SIGNING = 'staff-language-signing-secret';
const TRIAGE = 'C0LANGTRIAGE';
const MANAGERS = 'C0LANGMANAGERS';
const AGENT = 'U0LANGAGENT';
const LEAD = 'U0LANGLEAD';

const clock = new ManualClock('2026-03-02T10:00:00Z');
let slack: FakeSlack;
let parley: TestParley;
let ticket: { number: string; id: string };
const db = () => parley.database.pool;
const drained = () => outboxDrained(db());

function slashCommand(text: string, user = AGENT): string {
  const raw = readFileSync(
    fileURLToPath(new URL('../../../../shared/fixtures/slack/slash_command.txt', import.meta.url)),
    'utf8',
  );
  const form = new URLSearchParams(raw);
  form.set('text', text);
  form.set('user_id', user);
  return form.toString();
}

/** `/ticket <text>` as Slack sends it, signed at the app's clock time; the ephemeral answer. */
async function ticketCommand(text: string): Promise<string> {
  const body = slashCommand(text);
  const ts = Math.floor(clock.now().getTime() / 1000);
  const res = await fetch(`${parley.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signSlackRequest(SIGNING, ts, body),
    },
    body,
  });
  expect(res.status).toBe(200);
  return (JSON.parse(await res.text()) as { text: string }).text;
}

const card = () =>
  slack.posted(TRIAGE).find((m) => !m.thread_ts && m.text?.includes(ticket.number))!;
const buttonLabels = (blocks: unknown) =>
  (blocks as { type: string; elements?: { type: string; text?: { text: string } }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button')
    .map((e) => e.text?.text);

beforeAll(async () => {
  slack = await startFakeSlack({ token: SLACK_TOKEN });
  parley = await startTestParley({
    clock,
    channels: { slackPaceIntervalMs: 5 },
    env: {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      SLACK_MANAGER_CHANNEL: MANAGERS,
    },
  });
  for (const [name, role, slack_user_id] of [
    ['Ana Agente', 'agent', AGENT],
    ['Luis Líder', 'supervisor', LEAD],
  ]) {
    const res = await parley.api('POST', '/agents', { body: { name, role, slack_user_id } });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await parley?.close();
  await slack?.close();
});

describe('staff_language', () => {
  it('is a tenant setting: en by default, one of the supported languages', async () => {
    expect((await parley.api('GET', '/settings')).body.staff_language).toBeUndefined();
    const bad = await parley.api('PATCH', '/settings', { body: { staff_language: 'fr' } });
    expect(bad.status).toBe(400);
    const ok = await parley.api('PATCH', '/settings', { body: { staff_language: 'es' } });
    expect(ok.status).toBe(200);
    expect(ok.body.staff_language).toBe('es');
  });

  it('posts the Slack card in Spanish', async () => {
    const res = await parley.api('POST', '/tickets', {
      body: {
        customer: { name: 'Carmen' },
        subject: 'Hervidor roto',
        category: 'order_issue',
        priority: 'urgent',
      },
    });
    expect(res.status).toBe(201);
    ticket = { number: res.body.number, id: await ticketIdOf(db(), res.body.number) };
    await drained();
    const posted = await waitFor(() => card());
    const blocks = JSON.stringify(posted.blocks);
    for (const label of [
      '*Cliente*',
      '*Prioridad*',
      '*Estado*',
      'Urgente',
      'Nuevo',
      'Sin asignar',
    ]) {
      expect(blocks).toContain(label);
    }
    expect(blocks).not.toContain('*Customer*');
    expect(buttonLabels(posted.blocks)).toEqual([
      'Tomar',
      'Asignar',
      'Responder',
      'Respuesta predefinida',
      'Nota',
      'Resolver',
    ]);
    expect(posted.text).toContain('Carmen · Nuevo · Urgente · Sin asignar');
  });

  it('answers /ticket in Spanish and updates the card in Spanish', async () => {
    expect(await ticketCommand(`claim ${ticket.number}`)).toBe(
      `*${ticket.number}* ahora es tuyo (assigned).`,
    );
    const shown = await ticketCommand(`show ${ticket.number}`);
    expect(shown).toContain('Estado: assigned · Prioridad: urgent · Categoría: order_issue');
    expect(shown).toContain('Asignado a: Ana Agente');
    expect(shown).toMatch(/Vencimiento SLA: 2026-03-02 10:15 UTC \(vence en 15min\)/);
    expect(await ticketCommand('list unassigned')).toBe('Tickets sin asignar: ninguno.');
    // The use cases' refusals too, not only the parser's.
    expect(await ticketCommand('show TK-2026-99999')).toBe('No encuentro el ticket TK-2026-99999.');
    expect(await ticketCommand(`close ${ticket.number}`)).toBe(
      'Solo un supervisor puede cerrar un ticket que no está resuelto.',
    );
    expect(await ticketCommand('help status')).toMatch(
      /^Uso: status <ref> <status>\nCambiar el estado/,
    );
    expect(await ticketCommand('asign 42')).toBe(
      'Comando desconocido "asign". ¿Quisiste decir assign? Escribe help para ver la lista\n' +
        'Comandos: help, list, show, reply, note, status, assign, claim, priority, resolve, close, reopen, link, canned, watch, unwatch',
    );
    await drained();
    expect(card().edits).toBeGreaterThan(0);
    expect(JSON.stringify(card().blocks)).toContain('Ana Agente');
    expect(JSON.stringify(card().blocks)).toContain('Asignado');
  });

  it('pings the assignee and the lead in Spanish, with Spanish buttons', async () => {
    clock.set('2026-03-02T10:11:15Z');
    await parley.jobs.runNow('sla:sweep');
    const [warning] = await staffRows(db(), ticket.id);
    expect(warning!.text).toBe(
      `⏰ ${ticket.number} (urgent) «Hervidor roto»: primera respuesta vence en 3 min.`,
    );
    await drained();
    expect(slack.posted(AGENT).map((m) => m.text)).toContain(warning!.text);

    clock.set('2026-03-02T10:15:00Z');
    await parley.jobs.runNow('sla:sweep');
    const breach = (await staffRows(db(), ticket.id)).find((r) => r.text.includes('🚨'))!;
    expect(breach.text).toBe(
      `🚨 SLA incumplido: ${ticket.number} (urgent) «Hervidor roto»: primera respuesta vencía justo ahora. Asignado a Ana Agente.`,
    );
    expect(breach.actions.map((a) => a.label)).toEqual(['Confirmar', 'Hacerme cargo', 'Reasignar']);
    await drained();
    const dm = slack.posted(LEAD).find((m) => m.text?.includes('SLA incumplido'))!;
    expect(buttonLabels(dm.blocks)).toEqual(['Confirmar', 'Hacerme cargo', 'Reasignar']);

    // Reassign: the Assign modal opens in Spanish and the answer is Spanish.
    const reassign = breach.actions.find((a) => a.id === 'sla_reassign')!;
    const status = await clickSlackButton({
      url: parley.url,
      signingSecret: SIGNING,
      clock,
      user: LEAD,
      action: { action_id: reassign.id, value: reassign.value },
      responseUrl: slack.responseUrl('reassign'),
    });
    expect(status).toBe(200);
    const answer = await waitFor(() => slack.responses('reassign')[0]);
    expect((answer.body as { text: string }).text).toBe(
      `${ticket.number} confirmado: elige la nueva persona asignada.`,
    );
    const view = slack.views().at(-1) as { title: { text: string }; submit: { text: string } };
    expect([view.title.text, view.submit.text]).toEqual(['Asignar', 'Asignar']);
    await drained();
    const thread = slack.posted(TRIAGE).filter((m) => m.thread_ts === card().ts);
    expect(thread.map((m) => m.text)).toContain(
      '✅ Escalado de SLA (primera respuesta) en reasignación por Luis Líder.',
    );
  });

  it('speaks English again once the setting is back to en', async () => {
    const res = await parley.api('PATCH', '/settings', { body: { staff_language: 'en' } });
    expect(res.status).toBe(200);
    expect(await ticketCommand(`priority ${ticket.number} high`)).toBe(
      `*${ticket.number}* priority is now high.`,
    );
    await drained();
    const blocks = JSON.stringify(card().blocks);
    expect(blocks).toContain('*Customer*');
    expect(blocks).not.toContain('*Cliente*');
  });
});
