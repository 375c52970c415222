// The contributed commands. Their ids are public
// (docs/ARCHITECTURE.md, "Commands and views"). Kept apart so activation can register
// them without loading anything else.
export const COMMAND_IDS = [
  'rozet.planTask',
  'rozet.sendSelection',
  'rozet.setApiKey',
  'rozet.switchModel',
  'rozet.healthCheck',
  'rozet.cancel',
  'rozet.showConfiguration',
  'rozet.openPanel',
  'rozet.openPlanGraph',
] as const;
