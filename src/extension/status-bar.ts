// Shows the worker and planner models; a click opens Switch Model.
import * as vscode from 'vscode';

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rozet.models', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Rozet models';
    this.item.command = 'rozet.switchModel';
  }

  update(models: { planner: string; worker: string }, running: boolean): void {
    this.item.text = `${running ? '$(sync~spin)' : '$(hubot)'} ${models.planner} · ${models.worker}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Rozet**\n\nPlanner: \`${models.planner}\`\n\nWorker: \`${models.worker}\`\n\nClick to switch models.`,
    );
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
