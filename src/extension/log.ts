// The "Rozet" output channel. Everything written goes through the redactor first, so a
// key never reaches the log even when an error message or a model quotes one.
import * as vscode from 'vscode';
import { errorMessage } from '../core/text/error-message';
import type { Redactor } from '../core/text/redact';

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Rozet', { log: true });

  constructor(private readonly redactor: Redactor) {}

  info(message: string): void {
    this.channel.info(this.redactor.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redactor.redact(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${errorMessage(error)}`;
    this.channel.error(this.redactor.redact(message + detail));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
