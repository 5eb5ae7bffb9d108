/**
 * A local fake of Slack's Socket Mode server (https://docs.slack.dev/apis/events-api/using-socket-mode):
 * the WebSocket URL that `apps.connections.open` hands out (see slack-api.ts `socketModeUrl`).
 * On connect it sends `hello`; tests then push envelopes (`events_api`, `slash_commands`,
 * `interactive`) and read the client's acknowledgements (`{envelope_id, payload}`). It answers
 * pings with pongs. A minimal RFC 6455 server on node:http (text frames, no extensions), so no
 * WebSocket package is needed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export type SocketEnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface FakeSocketMode {
  /** `ws://127.0.0.1:<port>/link/?ticket=…`, what `apps.connections.open` answers. */
  url: string;
  /** Resolves once a client has connected and got `hello`. */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends an envelope to the connected client; returns its envelope id. */
  send(type: SocketEnvelopeType, payload: unknown, opts?: { retryAttempt?: number }): string;
  /** Acknowledgements received, oldest first. */
  acks: SocketModeAck[];
  /** Waits for the acknowledgement of one envelope. */
  ackOf(envelopeId: string, timeoutMs?: number): Promise<SocketModeAck>;
  /** Text frames received that were not JSON acknowledgements. */
  other: string[];
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head =
    len < 126
      ? Buffer.from([0x80 | opcode, len])
      : len < 65536
        ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(len)]);
  return Buffer.concat([head, payload]);
}

function bigLength(len: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(len));
  return b;
}

/** Complete frames at the front of `buf` (client frames are masked); the rest stays. */
function readFrames(buf: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const opcode = buf[at]! & 0x0f;
    const masked = (buf[at + 1]! & 0x80) !== 0;
    let len = buf[at + 1]! & 0x7f;
    let offset = at + 2;
    if (len === 126) {
      if (buf.length < offset + 2) break;
      len = buf.readUInt16BE(offset);
      offset += 2;
    } else if (len === 127) {
      if (buf.length < offset + 8) break;
      len = Number(buf.readBigUInt64BE(offset));
      offset += 8;
    }
    const maskLen = masked ? 4 : 0;
    if (buf.length < offset + maskLen + len) break;
    const mask = buf.subarray(offset, offset + maskLen);
    const payload = Buffer.from(buf.subarray(offset + maskLen, offset + maskLen + len));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    frames.push({ opcode, payload });
    at = offset + maskLen + len;
  }
  return { frames, rest: buf.subarray(at) };
}

async function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`fake Socket Mode: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const acks: SocketModeAck[] = [];
  const other: string[] = [];
  let client: Duplex | null = null;
  let helloSent = false;

  const server = createServer((_req, res) => {
    res.writeHead(426).end('WebSocket only');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string') return void socket.destroy();
    const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    client = socket;
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const f of frames) {
        if (f.opcode === 0x9) socket.write(frame(0xa, f.payload));
        else if (f.opcode === 0x8) {
          socket.end(frame(0x8, f.payload.subarray(0, 2)));
          if (client === socket) client = null;
        } else if (f.opcode === 0x1) {
          const text = f.payload.toString('utf8');
          try {
            const parsed = JSON.parse(text) as SocketModeAck;
            if (typeof parsed.envelope_id === 'string') acks.push(parsed);
            else other.push(text);
          } catch {
            other.push(text);
          }
        }
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (client === socket) client = null;
    });
    const hello = {
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'fake-socket-mode', approximate_connection_time: 18060 },
      connection_info: { app_id: 'A0TESTHD01' },
    };
    socket.write(frame(0x1, Buffer.from(JSON.stringify(hello))));
    helloSent = true;
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=fake-ticket-0001&app_id=A0TESTHD01`,
    acks,
    other,
    async connected(timeoutMs = 10_000) {
      await until(() => (client && helloSent ? true : undefined), timeoutMs, 'a connection');
    },
    send(type, payload, opts = {}) {
      if (!client) throw new Error('fake Socket Mode: no client connected');
      const envelopeId = randomUUID();
      const envelope = {
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api'
          ? {
              retry_attempt: opts.retryAttempt ?? 0,
              retry_reason: opts.retryAttempt ? 'timeout' : '',
            }
          : {}),
      };
      client.write(frame(0x1, Buffer.from(JSON.stringify(envelope))));
      return envelopeId;
    },
    ackOf: (envelopeId, timeoutMs = 10_000) =>
      until(
        () => acks.find((a) => a.envelope_id === envelopeId),
        timeoutMs,
        `the ack of ${envelopeId}`,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        (client as Duplex | null)?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
