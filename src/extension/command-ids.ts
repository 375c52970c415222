// The contributed commands (DESIGN §3). Kept apart so activation can register them
// without loading anything else.
export const COMMAND_IDS = [
  'rozet.planTask',
  'rozet.sendSelection',
  'rozet.setApiKey',
  'rozet.switchModel',
  'rozet.healthCheck',
  'rozet.cancel',
  'rozet.showConfiguration',
  'rozet.openPanel',
] as const;
