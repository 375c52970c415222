// A command that failed inside a sandbox without network usually says so in its own
// words (curl, npm, pip, git, Node, Python); the model and the user should hear that the
// sandbox is why, and which setting would change it — not go on retrying.

const NETWORK_FAILURE =
  /Network is unreachable|ENETUNREACH|EAI_AGAIN|ENOTFOUND|getaddrinfo|Temporary failure in name resolution|Could not resolve (host|proxy)|Name or service not known|No address associated with hostname|nodename nor servname|Failed to establish a new connection|Connection refused|ECONNREFUSED|unable to access '[^']*': /i;

export const NETWORK_OFF_NOTE =
  'This command ran in the sandbox without network access, which is probably why it failed. ' +
  'If it needs the network, the user can set rozet.bash.network to "on" in their user settings ' +
  '(or ROZET_BASH_NETWORK=on); do not retry it as it is.';

export function looksLikeNetworkFailure(output: string): boolean {
  return NETWORK_FAILURE.test(output);
}
