// The Seatbelt (macOS sandbox-exec) profile for one sandboxed command, to the same rules
// as bubblewrap on Linux: reads allowed except the secret places, writes only to the
// workspace and the temporary folders and never to a protected path (by pattern, so —
// unlike a mount — also one that does not exist yet), no view of or signal to other
// processes (macOS has no PID namespace; `process-info*` and `signal` limited to the
// sandbox stand in for it), and network only when allowed. Each allow rule carries its own
// exceptions (require-not), so nothing depends on the order rules are read in.
// Not exercised by the test suite, which runs on Linux; only its patterns are.
import { PROTECTED_NAMES } from '../tools/protected-paths';
import type { SandboxLayout } from './bwrap';
import { GIT_CONTROL } from './protected-scan';

/** As on Linux, git may write its objects and refs, but not what makes it run something. */
const DENIED_WRITES = [...PROTECTED_NAMES.filter((n) => n !== '.git'), ...GIT_CONTROL.map((c) => `.git/${c}`)];

/** Services a shell and the usual tools look up; the keychain and other agents are not among them. */
const MACH_SERVICES = [
  'com.apple.system.opendirectoryd.libinfo',
  'com.apple.system.logger',
  'com.apple.system.notification_center',
  'com.apple.trustd.agent',
];

/** A Seatbelt string literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A protected name anywhere under the root, as the body of a Seatbelt regex: the path
 * itself or anything below it, letters in either case (APFS is usually case-insensitive).
 */
export function protectedPattern(root: string, name: string): string {
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const body = name
    .split('*')
    .map((part) => escape(part).replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`))
    .join('[^/]*');
  return `^${escape(root)}/(.*/)?${body}(/.*)?$`;
}

const any = (filters: readonly string[]) => `(require-any ${filters.join(' ')})`;

export function seatbeltProfile(layout: SandboxLayout, tempDirs: readonly string[]): string {
  const hidden = [
    ...layout.hidden.dirs.map((d) => `(subpath ${quote(d)})`),
    ...layout.hidden.files.map((f) => `(literal ${quote(f)})`),
  ];
  const writable = [layout.root, ...tempDirs].map((d) => `(subpath ${quote(d)})`);
  // #"…" regex literals take backslashes as the regex does (Apple's own profiles write #"\.plist$").
  const denied = DENIED_WRITES.map((n) => `(regex #"${protectedPattern(layout.root, n).replace(/"/g, '\\"')}")`);
  return [
    '(version 1)',
    '(deny default)',
    '(allow process-exec process-fork)',
    '(allow signal (target same-sandbox))',
    '(allow process-info* (target same-sandbox))',
    '(allow sysctl-read)',
    `(allow mach-lookup ${MACH_SERVICES.map((name) => `(global-name ${quote(name)})`).join(' ')})`,
    '(allow ipc-posix-shm)',
    hidden.length ? `(allow file-read* (require-not ${any(hidden)}))` : '(allow file-read*)',
    `(allow file-write* (require-all ${any(writable)} (require-not ${any(denied)})))`,
    '(allow file-write* (literal "/dev/null") (literal "/dev/tty") (regex #"^/dev/fd/"))',
    layout.network ? '(allow network*)' : '',
  ]
    .filter(Boolean)
    .join('\n');
}
