// The Seatbelt (macOS sandbox-exec) profile for one sandboxed command: reads allowed except
// the secret places, writes only to the workspace and the temporary folders, protected
// paths denied by pattern (unlike a mount, a pattern also covers paths that do not exist
// yet), no view of other processes, and network only when allowed. macOS has no PID
// namespace; `process-info*` limited to the sandbox stands in for it. Not exercised by the
// test suite, which runs on Linux.
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

/** A protected name under the root as a (case-insensitive) Seatbelt regex. */
function protectedRegex(root: string, name: string): string {
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const body = name
    .split('*')
    .map((part) => escape(part).replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`))
    .join('[^/]*');
  return `#"^${escape(root)}/(.*/)?${body.replace(/"/g, '\\"')}(/.*)?$"`;
}

export function seatbeltProfile(layout: SandboxLayout, tempDirs: readonly string[]): string {
  const hidden = [
    ...layout.hidden.dirs.map((d) => `(subpath ${quote(d)})`),
    ...layout.hidden.files.map((f) => `(literal ${quote(f)})`),
  ];
  const writable = [layout.root, ...tempDirs].map((d) => `(subpath ${quote(d)})`);
  return [
    '(version 1)',
    '(deny default)',
    '(allow process-exec process-fork)',
    '(allow signal (target same-sandbox))',
    '(allow process-info* (target same-sandbox))',
    '(allow sysctl-read)',
    `(allow mach-lookup ${MACH_SERVICES.map((name) => `(global-name ${quote(name)})`).join(' ')})`,
    '(allow ipc-posix-shm)',
    '(allow file-read*)',
    hidden.length ? `(deny file-read* ${hidden.join(' ')})` : '',
    `(allow file-write* ${writable.join(' ')} (literal "/dev/null") (literal "/dev/tty") (regex #"^/dev/fd/"))`,
    `(deny file-write* ${DENIED_WRITES.map((n) => `(regex ${protectedRegex(layout.root, n)})`).join(' ')})`,
    layout.network ? '(allow network*)' : '',
  ]
    .filter(Boolean)
    .join('\n');
}
