// The "Rozet" output channel. Everything written goes through the redactor first, so a
// key never reaches the log even when an error message or a model quotes one, and then
// through inertText, so model text cannot hide or reorder what the log shows.
import * as vscode from 'vscode';
import { errorMessage } from '../core/text/error-message';
import { inertText } from '../core/text/inert';
import type { Redactor } from '../core/text/redact';

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Rozet', { log: true });

  constructor(private readonly redactor: Redactor) {}

  info(message: string): void {
    this.channel.info(this.shown(message));
  }

  warn(message: string): void {
    this.channel.warn(this.shown(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${errorMessage(error)}`;
    this.channel.error(this.shown(message + detail));
  }

  /** Text as it may be shown in the log or a notification: keys redacted, control characters visible. */
  shown(text: string): string {
    return inertText(this.redactor.redact(text), { multiline: true });
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
