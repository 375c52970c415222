// What a model switch during a run means, said the same way by the sidebar and the
// Switch Model command: a run resolves its models when it starts and keeps them.

export function switchedDuringRun(model: string): string {
  return `The run in progress keeps the models it started with; the next plan uses ${model}.`;
}
