// One long-lived connection to the carer MQTT broker (MQTT.js; mqtt://, mqtts:// with a CA file, ws://, wss://),
// held by the host: a kiosk publishes its events and status through it, a station subscribes through it. MQTT 3.1.1,
// QoS 1, a persistent session (fixed client id, clean: false) so QoS 1 messages sent while it was away are kept for
// it, a retained last will, and reconnects with exponential back-off. Node only.
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { isIP } from 'node:net';
import mqtt, { MqttClient, type IClientOptions } from 'mqtt';
import { localOnlyLookup, type LookupFunction } from './local-lookup';

export interface BrokerConfig {
  url: string;
  username: string;
  password: string;
  /** PEM file of the CA that signed the broker's certificate (mqtts, wss); "" trusts the system's CAs. */
  caFile: string;
  clientId: string;
  /** Retained; what the broker publishes when the connection is lost without a goodbye. */
  will?: { topic: string; payload: string };
  /** Retained, published on every connect (and `will` published by us on a graceful close). */
  online?: { topic: string; payload: string };
  subscriptions: readonly string[];
  retry: { initialMs: number; maxMs: number; factor: number };
}

export interface BrokerLinkOptions {
  lookup?: LookupFunction;
  log?: (message: string) => void;
  onMessage?: (topic: string, payload: Buffer) => void;
  /** How long a publish may wait for its PUBACK. */
  timeoutMs?: number;
  /** Connects only once this settles: the link it replaces (same client id) has said goodbye first. */
  after?: Promise<unknown>;
}

export type LinkState = { state: 'connecting' | 'connected' | 'failing'; problem: string | null };

/** A failure the user can fix in the settings: its message is safe and useful to show on screen. */
export class CarerSetupError extends Error {
  override name = 'CarerSetupError';
}

/** What a broker refusal or a socket error means, in words that name the setting to check. */
function describeProblem(error: Error & { code?: string | number }, url: URL): { text: string; setup: boolean } {
  const where = `${url.protocol}//${url.host}`;
  // Mosquitto answers a wrong password with 5 (not authorised), others with 4 (bad user name or password).
  if (error.code === 4 || error.code === 5) {
    const reason = error.code === 4 ? 'bad user name or password' : 'not authorised';
    return { text: `the broker at ${where} refused the login (${reason}): check alerts.carer.mqtt.username and password`, setup: true };
  }
  if (typeof error.code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(error.code)) {
    return { text: `the broker at ${where} has a TLS certificate this kiosk does not trust (${error.code}; set alerts.carer.mqtt.caFile)`, setup: true };
  }
  if (error.code === 'ENOTLOCAL') return { text: `the broker at ${where} is refused: ${error.message}`, setup: true };
  return { text: `the broker at ${where} cannot be reached (${error.code ?? error.message})`, setup: false };
}

export class BrokerLink {
  private readonly client: MqttClient | null = null;
  private current: LinkState = { state: 'connecting', problem: null };
  private setupProblem = false;
  private failures = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** The client has been told to connect (before that, MQTT.js has no stream to end). */
  private started = false;

  constructor(private readonly config: BrokerConfig, private readonly options: BrokerLinkOptions = {}) {
    const url = new URL(config.url);
    let ca: Buffer | undefined;
    try {
      ca = config.caFile ? readFileSync(config.caFile) : undefined;
    } catch (error) {
      this.fail(`alerts.carer.mqtt.caFile ${config.caFile} cannot be read (${(error as Error).message})`, true);
      return;
    }
    const lookup = localOnlyLookup(options.lookup);
    const clientOptions: IClientOptions = {
      protocolVersion: 4,
      clientId: config.clientId,
      clean: false,
      // Reconnects are ours (back-off below); MQTT.js would retry at a fixed period.
      reconnectPeriod: 0,
      manualConnect: true,
      connectTimeout: options.timeoutMs ?? 5000,
      username: config.username || undefined,
      password: config.password || undefined,
      will: config.will ? { topic: config.will.topic, payload: Buffer.from(config.will.payload), qos: 1, retain: true } : undefined,
    };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port) || (url.protocol === 'mqtts:' ? 8883 : 1883);
    if (url.protocol === 'mqtt:') {
      this.client = new MqttClient(() => netConnect({ host, port, lookup }), clientOptions);
    } else if (url.protocol === 'mqtts:') {
      const servername = isIP(host) ? undefined : host;
      this.client = new MqttClient(() => tlsConnect({ host, port, servername, ca, lookup, rejectUnauthorized: true }), clientOptions);
    } else {
      // ws / wss: passed on to ws and http.request: no redirects, local addresses only.
      this.client = mqtt.connect(url.href, { ...clientOptions, ca, rejectUnauthorized: true, wsOptions: { lookup, followRedirects: false } as object });
    }
    this.client.on('connect', () => void this.connected());
    this.client.on('message', (topic, payload) => options.onMessage?.(topic, payload));
    this.client.on('error', (error) => {
      const { text, setup } = describeProblem(error as Error & { code?: string | number }, url);
      this.fail(text, setup);
    });
    this.client.on('close', () => this.scheduleReconnect());
    const client = this.client;
    void (options.after ?? Promise.resolve()).catch(() => {}).then(() => {
      if (this.closed) return;
      this.started = true;
      client.connect();
    });
  }

  get state(): LinkState {
    return this.current;
  }

  /** QoS 1; resolves on the broker's PUBACK. Fails at once while not connected: the caller's outbox retries. */
  async publish(topic: string, payload: string, retain = false): Promise<void> {
    const client = this.client;
    if (client && !client.connected && this.current.state === 'connecting' && this.failures === 0) await this.firstConnect(client);
    if (!client || !client.connected) {
      const reason = this.current.problem ?? 'not connected to the broker yet';
      throw this.setupProblem ? new CarerSetupError(reason) : new Error(reason);
    }
    const timeoutMs = this.options.timeoutMs ?? 5000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no PUBACK within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([client.publishAsync(topic, payload, { qos: 1, retain }), timeout]).finally(() => clearTimeout(timer));
  }

  /** Waits for the first connection (a notification right after start-up), but not past a failure or the timeout. */
  private firstConnect(client: MqttClient): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('connect', done).off('close', done);
        resolve();
      };
      const timer = setTimeout(done, this.options.timeoutMs ?? 5000);
      client.on('connect', done).on('close', done);
    });
  }

  /** Says goodbye: the retained status becomes the will's ("offline") and the connection ends. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    if (!client || !this.started) return;
    if (client.connected && this.config.will) await this.publish(this.config.will.topic, this.config.will.payload, true).catch(() => {});
    await client.endAsync(!client.connected);
  }

  private async connected(): Promise<void> {
    this.failures = 0;
    this.setupProblem = false;
    this.current = { state: 'connected', problem: null };
    const client = this.client!;
    try {
      if (this.config.subscriptions.length > 0) await client.subscribeAsync([...this.config.subscriptions], { qos: 1 });
      if (this.config.online) await this.publish(this.config.online.topic, this.config.online.payload, true);
    } catch (error) {
      this.options.log?.(`carer broker: ${(error as Error).message}`);
    }
  }

  private fail(problem: string, setup: boolean): void {
    if (problem !== this.current.problem) this.options.log?.(`carer broker: ${problem}`);
    this.current = { state: 'failing', problem };
    this.setupProblem = setup;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    if (this.current.state === 'connected') this.current = { state: 'connecting', problem: null };
    const { initialMs, maxMs, factor } = this.config.retry;
    const delayMs = Math.min(maxMs, initialMs * factor ** this.failures);
    this.failures += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closed) this.client?.reconnect();
    }, delayMs);
  }
}

/** An MQTT broker address (mqtt://, mqtts://, ws://, wss://), as opposed to a webhook. */
export const isMqttUrl = (url: string): boolean => /^(mqtts?|wss?):/.test(url);

/** What of the carer settings a broker link is made of. */
export interface BrokerSettings {
  url: string;
  mqtt: { username: string; password: string; caFile: string };
  retry: BrokerConfig['retry'];
}

/**
 * A host's one broker link for the current settings: kept while they stay the same, replaced after a settings
 * change (the new link connects only once the old one, with the same client id, has said goodbye).
 */
export class LinkSlot {
  private link: BrokerLink | null = null;
  private key: string | null = null;

  /**
   * The link for `settings` (null: none, any old one closes). `open` makes a new one from its config and the
   * closing previous link; `fresh` says whether it was made (or dropped) by this call.
   */
  sync(
    settings: BrokerSettings | null,
    clientId: string,
    open: (config: Omit<BrokerConfig, 'subscriptions' | 'will' | 'online'>, previous: Promise<void> | undefined) => BrokerLink,
  ): { link: BrokerLink | null; fresh: boolean } {
    const key = settings && JSON.stringify({ url: settings.url, mqtt: settings.mqtt, retry: settings.retry, clientId });
    if (this.link && key === this.key) return { link: this.link, fresh: false };
    const previous = this.link?.close();
    this.link = null;
    this.key = key;
    if (!settings) return { link: null, fresh: true };
    const { url, retry, mqtt: { username, password, caFile } } = settings;
    this.link = open({ url, username, password, caFile, clientId, retry }, previous);
    return { link: this.link, fresh: true };
  }

  async close(): Promise<void> {
    await this.link?.close();
    this.link = null;
    this.key = null;
  }
}
