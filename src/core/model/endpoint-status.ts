// What a model endpoint is doing, as the CLI, the sidebar and the log show it: requests in
// flight of the slots known, where that number comes from, and whether the endpoint is set
// aside. Plain data and text, so the webview bundle can use it too.

export type SlotSource = 'configured' | 'provider' | 'reported' | 'learning' | 'learned';

export interface EndpointStatus {
  model: string;
  /** host:port (or the URL when it has no host), for display. */
  endpoint: string;
  url: string;
  inFlight: number;
  /** Requests the endpoint takes at once as far as known (learning: so far). */
  slots: number;
  source: SlotSource;
  /** Set aside after a failure, with the reason, until `retryAt` (epoch ms). */
  down?: { reason: string; retryAt: number };
}

export function endpointLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host || url;
  } catch {
    return url;
  }
}

/** "qwen2.5-coder 2/4 @ 127.0.0.1:11434 (found)" — requests in flight of the slots known. */
export function describeEndpoint(status: EndpointStatus): string {
  return `${status.model} ${status.inFlight}/${status.slots} @ ${status.endpoint} (${slotNote(status)})`;
}

/** "qwen2.5-coder @ 127.0.0.1:11434: 4 slots (found)" — for logs, where requests coming and going are noise. */
export function describeSlots(status: EndpointStatus): string {
  return `${status.model} @ ${status.endpoint}: ${status.slots} slot${status.slots === 1 ? '' : 's'} (${slotNote(status)})`;
}

function slotNote(status: EndpointStatus): string {
  if (status.down) return `set aside: ${status.down.reason}`;
  switch (status.source) {
    case 'learning':
      return 'finding how many it takes';
    case 'learned':
      return 'found';
    case 'reported':
      return 'reported by the server';
    case 'configured':
      return 'rozet.worker.parallelRequests';
    case 'provider':
      return 'provider limit';
  }
}
