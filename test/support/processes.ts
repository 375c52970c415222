// Whether a process is still running, for tests that check a killed tree is gone.
import * as fs from 'node:fs';

/** Running; a zombie waiting for a container's init to reap it counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // No /proc (macOS): the signal check above is all there is.
    return true;
  }
}

/** True once the process is gone; a SIGKILLed group takes a moment to be reaped. */
export async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
