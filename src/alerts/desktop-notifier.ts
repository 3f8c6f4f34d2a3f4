import type { MonitoringEvent } from '../monitoring/monitoring';

/** The subset of the Notification API used here (window.Notification in browsers and Electron renderers). */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): Notification;
}

/**
 * Desktop notifications for alerts. Permission is asked once (on the first call of `prepare`, which the UI makes
 * from a user gesture such as starting the camera); a refusal is respected and never asked again.
 */
export class DesktopNotifier {
  private asked = false;

  constructor(private readonly api: NotificationApi | undefined = globalThis.Notification) {}

  get available(): boolean {
    return this.api !== undefined && this.api.permission === 'granted';
  }

  async prepare(): Promise<NotificationPermission | 'unsupported'> {
    if (!this.api) return 'unsupported';
    if (this.api.permission !== 'default' || this.asked) return this.api.permission;
    this.asked = true;
    return this.api.requestPermission();
  }

  /** Shows the alert; the returned notification's click focuses the app. Null when not permitted. */
  show(event: MonitoringEvent, onClick?: () => void): Notification | null {
    if (!this.api || this.api.permission !== 'granted') return null;
    const notification = new this.api(`Skeleton Sentinel: ${event.type.replace('_', ' ')}`, {
      body: `${event.message} (${new Date(event.wallTime).toLocaleTimeString()}, confidence ${(100 * event.confidence).toFixed(0)} %)`,
      tag: event.id,
      requireInteraction: true,
    });
    notification.onclick = () => {
      globalThis.focus?.();
      onClick?.();
    };
    return notification;
  }
}
