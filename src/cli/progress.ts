// A wait the user can see, on stderr so stdout stays clean: on a terminal a spinner with
// the elapsed time, redrawn in place; without one (a log, CI) a heartbeat line every few
// seconds, so a slow or stalled model never looks like a hung command.
//   planning… 10 s, waiting for the first token
import type { Output } from './io';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;
const SPINNER_AFTER_MS = 1000;
export const HEARTBEAT_MS = 5000;

export interface Progress {
  /** What is being waited for now, e.g. "waiting for the first token". */
  update(detail: string): void;
  /** A line that stays (a retry, a warning), printed above the spinner. */
  note(line: string): void;
  /** Clears the spinner; safe to call more than once. */
  stop(): void;
}

export function startProgress(output: Output, label: string, options: { heartbeatMs?: number } = {}): Progress {
  const started = Date.now();
  let detail = '';
  let frame = 0;
  let drawn = false;
  const text = () => `${label}… ${seconds(Date.now() - started)}${detail ? `, ${detail}` : ''}`;
  const clear = () => {
    if (drawn) output.rawErr('\r\x1b[K');
    drawn = false;
  };
  const draw = () => {
    // A wait under a second needs no spinner: it would only flicker.
    if (Date.now() - started < SPINNER_AFTER_MS) return;
    frame = (frame + 1) % FRAMES.length;
    output.rawErr(`\r\x1b[K${FRAMES[frame]} ${text()}`);
    drawn = true;
  };
  const live = output.liveErr;
  const timer = setInterval(
    live ? draw : () => output.err(text()),
    live ? FRAME_MS : (options.heartbeatMs ?? HEARTBEAT_MS),
  );
  // A wait must never be what keeps the process alive.
  timer.unref();
  return {
    update: (next) => void (detail = next),
    note: (line) => {
      clear();
      output.err(line);
    },
    stop: () => {
      clearInterval(timer);
      clear();
    },
  };
}

/** Whole seconds, the way a person counts a wait: "5 s", "1 m 05 s". */
export function seconds(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}
